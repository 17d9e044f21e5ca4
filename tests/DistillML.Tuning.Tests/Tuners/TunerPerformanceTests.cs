using System.Diagnostics;
using DistillML.Tuning.Objectives;
using DistillML.Tuning.Pareto;
using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Trials;
using DistillML.Tuning.Tuners;

namespace DistillML.Tuning.Tests.Tuners;

/// <summary>Slower end-to-end checks; run with <c>dotnet test --filter Category=Long</c>.</summary>
[Trait("Category", "Long")]
[Collection(nameof(TimingCollection))]
public class TunerPerformanceTests
{
    private static TuningProblem Zdt1() => new(
        Enumerable.Range(0, 6).Aggregate(Tuning.SearchSpace.SearchSpace.Create(), (b, i) => b.AddFloat($"x{i}", 0, 1)).Build(),
        new[] { Objective.Minimize("f1", 11), Objective.Minimize("f2", 11) });

    private static Dictionary<string, double> EvaluateZdt1(Parameter p)
    {
        var x = Enumerable.Range(0, 6).Select(i => p.GetDouble($"x{i}")).ToArray();
        var g = 1 + 9.0 / 5 * x.Skip(1).Sum();
        return new Dictionary<string, double> { ["f1"] = x[0], ["f2"] = g * (1 - Math.Sqrt(x[0] / g)) };
    }

    // Proposal time is measured in benchmarks/TunerBench (its per-proposal table), not asserted here: a timed test fails on a loaded machine.

    [Fact]
    public void Bayesian_tuner_beats_random_search_on_zdt1_at_50_evaluations()
    {
        var problem = Zdt1();
        double Hv(ITuner tuner) => Hypervolume.Compute(
            TestProblems.Run(tuner, 50, p => TrialResult.Completed(new TrialSettings(), EvaluateZdt1(p)))
                .Select(p => EvaluateZdt1(p)).Select(m => new[] { m["f1"], m["f2"] }), new[] { 11.0, 11.0 });
        var mobo = Hv(new MultiObjectiveBayesianTuner(problem, new MultiObjectiveBayesianTunerOptions { Seed = 3 }));
        var random = Hv(new RandomTuner(problem.Space, seed: 3));
        Assert.True(mobo > random + 5, $"MOBO {mobo:F2} vs random {random:F2}");
    }
}

/// <summary>Timing tests run alone, not beside other test classes.</summary>
[CollectionDefinition(nameof(TimingCollection), DisableParallelization = true)]
public sealed class TimingCollection
{
}
