using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Trials;

namespace DistillML.Tuning.Storage;

/// <summary>
/// A trial as stored, the one description of a trial (Optuna's frozen trial): its number (the tuner's trial id), state,
/// parameter, worker, times, metrics, intermediate values and artifacts. How a trial ended is a <see cref="TrialResult"/>
/// (<see cref="ToTrialResult"/>); an experiment may add typed accessors in a derived record.
/// </summary>
public record TrialRecord
{
    /// <summary>The study the trial belongs to.</summary>
    public required string StudyName { get; init; }

    /// <summary>The trial number, unique within the study, counting from 0; tuners use it as <see cref="TrialSettings.TrialId"/>.</summary>
    public required int Number { get; init; }

    /// <summary>The state.</summary>
    public required TrialState State { get; init; }

    /// <summary>The parameter under trial.</summary>
    public required Parameter Parameter { get; init; }

    /// <summary>The worker that claimed the trial, or null while pending.</summary>
    public string? WorkerId { get; init; }

    /// <summary>The last heartbeat of a running trial's worker (the store's clock).</summary>
    public DateTime? HeartbeatUtc { get; init; }

    /// <summary>When the trial was created.</summary>
    public DateTime CreatedAtUtc { get; init; }

    /// <summary>When a worker claimed the trial.</summary>
    public DateTime? StartedAtUtc { get; init; }

    /// <summary>When the trial finished.</summary>
    public DateTime? EndedAtUtc { get; init; }

    /// <summary>The order in which trials finished (1, 2, ...); null while not finished.</summary>
    public long? FinishSequence { get; init; }

    /// <summary>Why the trial failed, when it did.</summary>
    public string? Error { get; init; }

    /// <summary>The trial's cost in the caller's unit.</summary>
    public double? Cost { get; init; }

    /// <summary>The trial's wall time as the worker measured it.</summary>
    public double? DurationInMilliseconds { get; init; }

    /// <summary>1 for a first run; a retry of a trial whose worker died has its attempt plus one.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>The number of the trial this one retries, if any.</summary>
    public int? RetryOf { get; init; }

    /// <summary>The number of the trial that retries this one (a trial whose worker died), if any.</summary>
    public int? RetriedAs { get; init; }

    /// <summary>Metric values by name (NaN where the trial reported NaN).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Intermediate values (step, value) in step order, as reported for pruning.</summary>
    public IReadOnlyList<KeyValuePair<int, double>> IntermediateValues { get; init; } = Array.Empty<KeyValuePair<int, double>>();

    /// <summary>Artifact paths by name (for example "onnx").</summary>
    public IReadOnlyDictionary<string, string> Artifacts { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether a tuner should learn from this trial: finished, and not replaced by a retry.</summary>
    public bool CountsAsResult => State.IsFinished() && RetriedAs is null;

    /// <summary>Whether the trial is waiting or running (a tuner's pending trial).</summary>
    public bool IsPending => State is TrialState.Pending or TrialState.Running;

    /// <summary>The trial's settings in the tuner's shape.</summary>
    public TrialSettings ToTrialSettings() => new()
    {
        TrialId = Number,
        StartedAtUtc = StartedAtUtc ?? CreatedAtUtc,
        EndedAtUtc = EndedAtUtc,
        Parameter = Parameter,
    };

    /// <summary>The finished trial as a <see cref="TrialResult"/> to replay into a tuner.</summary>
    /// <exception cref="InvalidOperationException">The trial has not finished.</exception>
    public TrialResult ToTrialResult()
    {
        if (!State.IsFinished()) throw new InvalidOperationException($"Trial {Number} of study '{StudyName}' is {State}, not finished.");
        return new TrialResult
        {
            TrialSettings = ToTrialSettings(),
            Metrics = Metrics,
            Status = State,
            Error = Error,
            Cost = Cost ?? 0,
            DurationInMilliseconds = DurationInMilliseconds ?? 0,
        };
    }

    /// <summary>The result that records this trial as completed with <paramref name="metrics"/>.</summary>
    public TrialResult Completed(IReadOnlyDictionary<string, double> metrics, double cost = 0) => TrialResult.Completed(ToTrialSettings(), metrics, cost);

    /// <summary>The result that records this trial as failed.</summary>
    public TrialResult Failed(string error, double cost = 0) => TrialResult.Failed(ToTrialSettings(), error, cost);

    /// <summary>The result that records this trial as pruned with its last metrics.</summary>
    public TrialResult Pruned(IReadOnlyDictionary<string, double>? metrics = null, double cost = 0) => TrialResult.Pruned(ToTrialSettings(), metrics, cost);

    /// <inheritdoc />
    public override string ToString() => $"trial {Number} of '{StudyName}': {State} {Parameter}";
}
