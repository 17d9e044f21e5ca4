using DistillML.Tuning.Trials;

namespace DistillML.Tuning.Storage;

/// <summary>How a worker's trial ended, to record with <see cref="ITrialStore.FinishTrialAsync"/>.</summary>
public sealed class TrialOutcome
{
    /// <summary>Completed, Failed or Pruned.</summary>
    public required TrialState State { get; init; }

    /// <summary>Metric values by name (for a pruned trial, the last partial ones).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Why the trial failed.</summary>
    public string? Error { get; init; }

    /// <summary>The trial's cost in the caller's unit.</summary>
    public double? Cost { get; init; }

    /// <summary>The trial's wall time.</summary>
    public double? DurationInMilliseconds { get; init; }

    /// <summary>A completed trial.</summary>
    public static TrialOutcome Completed(IReadOnlyDictionary<string, double> metrics, double? cost = null, double? durationMs = null) =>
        new() { State = TrialState.Completed, Metrics = metrics, Cost = cost, DurationInMilliseconds = durationMs };

    /// <summary>A failed trial.</summary>
    public static TrialOutcome Failed(string error, double? cost = null, double? durationMs = null) =>
        new() { State = TrialState.Failed, Error = error, Cost = cost, DurationInMilliseconds = durationMs };

    /// <summary>A pruned trial.</summary>
    public static TrialOutcome Pruned(IReadOnlyDictionary<string, double>? metrics = null, double? cost = null, double? durationMs = null) =>
        new() { State = TrialState.Pruned, Metrics = metrics ?? new Dictionary<string, double>(), Cost = cost, DurationInMilliseconds = durationMs };

    /// <summary>The outcome of a tuner-shaped <see cref="TrialResult"/>.</summary>
    public static TrialOutcome FromResult(TrialResult result, string? error = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new TrialOutcome
        {
            State = result.Status switch
            {
                TrialStatus.Completed => TrialState.Completed,
                TrialStatus.Pruned => TrialState.Pruned,
                _ => TrialState.Failed,
            },
            Metrics = result.Metrics,
            Error = error,
            Cost = result.Cost,
            DurationInMilliseconds = result.DurationInMilliseconds,
        };
    }

    internal void Validate()
    {
        if (!State.IsFinished())
        {
            throw new ArgumentException($"A trial outcome must be Completed, Failed or Pruned, not {State}.");
        }
    }
}
