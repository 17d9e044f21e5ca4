namespace DistillML.Tuning.Storage.Workers;

/// <summary>Options of a <see cref="TrialWorker"/>.</summary>
public sealed class TrialWorkerOptions
{
    /// <summary>The study's trial budget (trials replaced by a retry do not count); null for no limit.</summary>
    public int? MaxTrials { get; init; }

    /// <summary>How often a running trial's heartbeat is refreshed.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How the worker reaps trials of dead workers before each claim. Keep <see cref="ReapOptions.MaxAge"/> several
    /// heartbeat intervals long (of every worker of the study).
    /// </summary>
    public ReapOptions Reap { get; init; } = new() { MaxAge = TimeSpan.FromMinutes(1), Policy = StaleTrialPolicy.RetryStale };

    /// <summary>
    /// When nothing is left to claim but other workers' trials still run, keep polling (one of them may die and its
    /// trial be retried) instead of stopping.
    /// </summary>
    public bool WaitForRunningTrials { get; init; } = true;

    /// <summary>
    /// Attempts at recording a finished trial when the store fails (for example a full disk under a SQLite file); the
    /// waits grow by <see cref="RecordRetryDelay"/> each time. Keep their sum well under the reaper's max age. Default 4.
    /// </summary>
    public int RecordAttempts { get; init; } = 4;

    /// <summary>The first wait between attempts at recording a finished trial (then twice, three times that). Default 2 s.</summary>
    public TimeSpan RecordRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long to wait between polls while waiting for other workers.</summary>
    public TimeSpan IdlePollInterval { get; init; } = TimeSpan.FromSeconds(1);
}
