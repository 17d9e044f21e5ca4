namespace DistillML.Tuning.Trials;

/// <summary>
/// How a trial ended, like ML.NET AutoML's <c>TrialResult</c> but with several named metrics (the precedent is AutoML's
/// own subclass for fairness metrics), a state and a cost: what a worker's training returns, what the trial store
/// records, and what a tuner learns from. The stored trial with everything else (worker, times, intermediate values,
/// artifacts) is the store's <c>TrialRecord</c>, whose <c>ToTrialResult</c> gives this back.
/// </summary>
public sealed record TrialResult
{
    /// <summary>The trial.</summary>
    public required TrialSettings TrialSettings { get; init; }

    /// <summary>Metric values by name (black-box objectives and constraints are read from here).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>How the trial ended: Completed, Failed or Pruned.</summary>
    public TrialState Status { get; init; } = TrialState.Completed;

    /// <summary>The cost of the trial in the caller's unit (for example GPU seconds).</summary>
    public double Cost { get; init; }

    /// <summary>Wall time of the trial; 0 when not measured (a <c>TrialWorker</c> then records its own measurement).</summary>
    public double DurationInMilliseconds { get; init; }

    /// <summary>AutoML's scalar loss, kept for single-objective consumers; NaN when not set.</summary>
    public double Loss { get; init; } = double.NaN;

    /// <summary>AutoML's scalar metric, kept for single-objective consumers; NaN when not set.</summary>
    public double Metric { get; init; } = double.NaN;

    /// <summary>Why a failed trial failed (the exception's type and message); null otherwise.</summary>
    public string? Error { get; init; }

    /// <summary>Peak CPU use, when measured.</summary>
    public double? PeakCpu { get; init; }

    /// <summary>Peak memory in megabytes, when measured.</summary>
    public double? PeakMemoryInMegaByte { get; init; }

    /// <summary>A completed trial with its metrics.</summary>
    public static TrialResult Completed(TrialSettings settings, IReadOnlyDictionary<string, double> metrics, double cost = 0) =>
        new() { TrialSettings = settings, Metrics = metrics, Status = TrialState.Completed, Cost = cost };

    /// <summary>A failed trial and why it failed.</summary>
    public static TrialResult Failed(TrialSettings settings, string? error = null, double cost = 0) =>
        new() { TrialSettings = settings, Status = TrialState.Failed, Error = error, Cost = cost };

    /// <summary>A pruned trial with its last (partial) metrics.</summary>
    public static TrialResult Pruned(TrialSettings settings, IReadOnlyDictionary<string, double>? metrics = null, double cost = 0) =>
        new() { TrialSettings = settings, Metrics = metrics ?? new Dictionary<string, double>(), Status = TrialState.Pruned, Cost = cost };
}
