namespace DistillML.Tuning.Storage;

/// <summary>What <see cref="ITrialStore.ReapStaleTrialsAsync"/> does with a running trial whose worker stopped heartbeating.</summary>
public enum StaleTrialPolicy
{
    /// <summary>Mark it failed; the tuner then steers away from its parameters.</summary>
    Fail,

    /// <summary>
    /// Mark it failed and insert its parameters again as a new pending trial that one worker claims next
    /// (the failed record stays, linked to its retry, and is not shown to tuners). Retries stop after
    /// <see cref="ReapOptions.MaxAttempts"/>; the last attempt is left failed.
    /// </summary>
    RetryStale,
}

/// <summary>Options of <see cref="ITrialStore.ReapStaleTrialsAsync"/>.</summary>
public sealed class ReapOptions
{
    /// <summary>A running trial whose last heartbeat is older than this is stale. Keep it several heartbeat intervals long.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Fail stale trials or retry them.</summary>
    public StaleTrialPolicy Policy { get; init; } = StaleTrialPolicy.Fail;

    /// <summary>How many times in all one parameter is run when its workers keep dying (with <see cref="StaleTrialPolicy.RetryStale"/>).</summary>
    public int MaxAttempts { get; init; } = 3;
}
