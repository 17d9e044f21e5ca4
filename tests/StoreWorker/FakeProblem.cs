using DistillML.Tuning.Objectives;
using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Storage;
using DistillML.Tuning.Tuners;

namespace StoreWorker;

/// <summary>The sweep the worker processes share: two parameters, two objectives, a metric computed from the parameters.</summary>
public static class FakeProblem
{
    public static TuningProblem Problem { get; } = new(
        SearchSpace.Create().AddFloat("x", 0, 1).AddInteger("layers", 1, 8).Build(),
        [Objective.Minimize("loss"), Objective.MinimizeKnown("size", p => p.GetInt32("layers"))]);

    public static StudyDefinition Study(string name) => StudyDefinition.FromProblem(name, Problem);

    /// <summary>The fake training's metric, a pure function of the parameter (so results can be checked).</summary>
    public static double Loss(Parameter p) => Math.Pow(p.GetDouble("x") - 0.3, 2) + 1.0 / p.GetInt32("layers");

    public static ITuner CreateTuner(string kind) => kind switch
    {
        "sobol" => new SobolTuner(Problem.Space, seed: 7),
        "random" => new RandomTuner(Problem.Space, seed: 7),
        _ => new MultiObjectiveBayesianTuner(Problem, FastOptions),
    };

    /// <summary>A small acquisition search: the tests care about the store, not about the tuner's accuracy.</summary>
    public static MultiObjectiveBayesianTunerOptions FastOptions { get; } = new()
    {
        Seed = 7,
        RawCandidates = 256,
        CandidatesPerParetoPoint = 4,
        LocalSearchStarts = 2,
        LocalSearchSteps = 10,
        MaxFitIterations = 20,
    };
}
