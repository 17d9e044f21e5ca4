namespace DistillML.Tuning.Trials;

/// <summary>
/// What a trial produced, like ML.NET AutoML's <c>TrialResult</c> but with several named metrics
/// (the precedent is AutoML's own subclass for fairness metrics), a status and a cost.
/// </summary>
public sealed class TrialResult
{
    /// <summary>The trial.</summary>
    public required TrialSettings TrialSettings { get; init; }

    /// <summary>Metric values by name (black-box objectives and constraints are read from here).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>How the trial ended.</summary>
    public TrialStatus Status { get; init; } = TrialStatus.Completed;

    /// <summary>The cost of the trial in the caller's unit (for example GPU seconds).</summary>
    public double Cost { get; init; }

    /// <summary>Wall time of the trial.</summary>
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
        new() { TrialSettings = settings, Metrics = metrics, Status = TrialStatus.Completed, Cost = cost };

    /// <summary>A failed trial.</summary>
    public static TrialResult Failed(TrialSettings settings, double cost = 0) =>
        new() { TrialSettings = settings, Status = TrialStatus.Failed, Cost = cost };

    /// <summary>A pruned trial with its last (partial) metrics.</summary>
    public static TrialResult Pruned(TrialSettings settings, IReadOnlyDictionary<string, double>? metrics = null, double cost = 0) =>
        new() { TrialSettings = settings, Metrics = metrics ?? new Dictionary<string, double>(), Status = TrialStatus.Pruned, Cost = cost };
}
