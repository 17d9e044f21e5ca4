using DistillML.Tuning.Objectives;
using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Trials;
using DistillML.Tuning.Tuners;

namespace DistillML.Tuning.Tests.Tuners;

/// <summary>
/// A trial is seeded, so running the same parameters twice only repeats a result: the tuner must never propose a
/// point that is already finished or pending while an unseen one exists.
/// </summary>
public class DuplicateProposalTests
{
    // The storage tests' problem: a float and an integer, a black-box loss and the integer as a known objective.
    private static TuningProblem MixedProblem() => new(
        Tuning.SearchSpace.SearchSpace.Create().AddFloat("x", 0, 1).AddInteger("layers", 1, 8).Build(),
        [Objective.Minimize("loss"), Objective.MinimizeKnown("size", p => p.GetInt32("layers"))]);

    private static Dictionary<string, double> Loss(Parameter p) =>
        new() { ["loss"] = Math.Pow(p.GetDouble("x") - 0.3, 2) + 1.0 / p.GetInt32("layers") };

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Proposals_with_three_trials_pending_never_repeat_a_point(int seed)
    {
        // Four workers: each new proposal is made while the three others are still running.
        var tuner = new MultiObjectiveBayesianTuner(MixedProblem(), TestProblems.FastOptions(seed));
        var running = new Queue<(TrialSettings Settings, Parameter Parameter)>();
        var all = new List<Parameter>();
        for (var id = 0; id < 40; id++)
        {
            var settings = new TrialSettings { TrialId = id };
            var p = tuner.Propose(settings);
            all.Add(p);
            running.Enqueue((settings, p));
            if (running.Count == 4)
            {
                var (s, q) = running.Dequeue();
                tuner.Update(TrialResult.Completed(s, Loss(q)));
            }
        }

        var repeated = all.GroupBy(p => p).Where(g => g.Count() > 1).Select(g => g.Key.ToString()).ToList();
        Assert.True(repeated.Count == 0, "repeated: " + string.Join("; ", repeated));
    }

    [Fact]
    public void Discrete_space_is_covered_without_repeats_until_it_is_exhausted()
    {
        // 4 x 2 = 8 points: eight proposals must be the eight points, modelled ones included.
        var problem = new TuningProblem(
            Tuning.SearchSpace.SearchSpace.Create().AddInteger("layers", 1, 4).AddBoolean("wide").Build(),
            [Objective.Minimize("loss"), Objective.MinimizeKnown("size", p => p.GetInt32("layers") * (p.GetBoolean("wide") ? 2 : 1))]);
        var tuner = new MultiObjectiveBayesianTuner(problem, TestProblems.FastOptions(seed: 3));
        var proposals = TestProblems.Run(tuner, 8, p => TrialResult.Completed(new TrialSettings(),
            new Dictionary<string, double> { ["loss"] = 1.0 / p.GetInt32("layers") + (p.GetBoolean("wide") ? 0 : 0.1) }));
        Assert.Equal(8, proposals.Distinct().Count());

        // Exhausted: a ninth proposal is still made (a repeat), not an exception.
        Assert.NotNull(tuner.Propose(new TrialSettings { TrialId = 8 }));
    }
}
