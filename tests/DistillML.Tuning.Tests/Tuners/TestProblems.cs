using DistillML.Tuning.Objectives;
using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Trials;
using DistillML.Tuning.Tuners;

namespace DistillML.Tuning.Tests.Tuners;

internal static class TestProblems
{
    /// <summary>Two objectives on [0,1]²: f1 = x², f2 = (x-1)² + y; Pareto set y = 0.</summary>
    public static TuningProblem TwoObjective(IEnumerable<Constraint>? constraints = null) => new(
        Tuning.SearchSpace.SearchSpace.Create().AddFloat("x", 0, 1).AddFloat("y", 0, 1).Build(),
        new[] { Objective.Minimize("f1"), Objective.Minimize("f2") },
        constraints);

    public static Dictionary<string, double> Evaluate(Parameter p)
    {
        var x = p.GetDouble("x");
        var y = p.GetDouble("y");
        return new Dictionary<string, double> { ["f1"] = x * x + 0.2 * y, ["f2"] = (x - 1) * (x - 1) + y };
    }

    public static MultiObjectiveBayesianTunerOptions FastOptions(int seed = 0) => new()
    {
        Seed = seed,
        RawCandidates = 256,
        CandidatesPerParetoPoint = 4,
        LocalSearchStarts = 2,
        LocalSearchSteps = 10,
        MaxFitIterations = 20,
    };

    /// <summary>Runs a sequential loop and returns the proposals.</summary>
    public static List<Parameter> Run(ITuner tuner, int trials, Func<Parameter, TrialResult?>? evaluate = null, int firstId = 0)
    {
        var proposals = new List<Parameter>();
        for (var i = firstId; i < firstId + trials; i++)
        {
            var settings = new TrialSettings { TrialId = i };
            var p = tuner.Propose(settings);
            proposals.Add(p);
            var result = evaluate?.Invoke(p) is { } r
                ? new TrialResult { TrialSettings = settings, Metrics = r.Metrics, Status = r.Status }
                : TrialResult.Completed(settings, Evaluate(p));
            tuner.Update(result);
        }

        return proposals;
    }
}
