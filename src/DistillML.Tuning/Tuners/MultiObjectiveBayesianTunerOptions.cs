using DistillML.Tuning.GaussianProcesses;

namespace DistillML.Tuning.Tuners;

/// <summary>Settings of <see cref="MultiObjectiveBayesianTuner"/>; the defaults suit up to a few hundred trials.</summary>
public sealed record MultiObjectiveBayesianTunerOptions
{
    /// <summary>The seed: with the same seed and the same sequence of calls, proposals repeat exactly.</summary>
    public int Seed { get; init; }

    /// <summary>Trials from the Sobol initial design before modelling starts; 2(d+1) when null (d = unit-cube dimension).</summary>
    public int? InitialDesignSize { get; init; }

    /// <summary>Random (scrambled Sobol) candidates scored per proposal.</summary>
    public int RawCandidates { get; init; } = 1024;

    /// <summary>Candidates drawn around each current Pareto-optimal point.</summary>
    public int CandidatesPerParetoPoint { get; init; } = 16;

    /// <summary>Best candidates refined by local search.</summary>
    public int LocalSearchStarts { get; init; } = 4;

    /// <summary>Local search steps per start ((1+1) evolution strategy with step-size adaptation).</summary>
    public int LocalSearchSteps { get; init; } = 40;

    /// <summary>BFGS-B iterations per hyperparameter fit start (a cap that keeps proposals fast).</summary>
    public int MaxFitIterations { get; init; } = 40;

    /// <summary>
    /// Whether hyperparameter fitting also starts from the previous fit. Faster to converge, but then a tuner
    /// rebuilt by replaying history may propose slightly differently from the original; off by default.
    /// </summary>
    public bool WarmStartHyperparameters { get; init; }

    /// <summary>Hyperparameter priors and bounds.</summary>
    public GpPriors Priors { get; init; } = new();

    /// <summary>Largest box decomposition for exact EHVI; beyond it, quasi-Monte Carlo EHVI is used.</summary>
    public int MaxExactBoxes { get; init; } = 4096;

    /// <summary>Quasi-random samples of the Monte Carlo EHVI.</summary>
    public int MonteCarloSamples { get; init; } = 128;

    /// <summary>How many threads score candidates; results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Math.Max(1, Environment.ProcessorCount);
}
