namespace DistillML.Tuning.Trials;

/// <summary>Where a stored trial stands.</summary>
public enum TrialState
{
    /// <summary>Waiting for a worker: enqueued by hand, released, or a retry of a trial whose worker died.</summary>
    Pending,

    /// <summary>Claimed by a worker, which keeps its heartbeat fresh.</summary>
    Running,

    /// <summary>Finished with its metrics.</summary>
    Completed,

    /// <summary>Threw, went NaN, or its worker stopped heartbeating.</summary>
    Failed,

    /// <summary>Stopped early by a pruner.</summary>
    Pruned,
}

/// <summary>Helpers for <see cref="TrialState"/>.</summary>
public static class TrialStateExtensions
{
    /// <summary>Whether the trial has ended (completed, failed or pruned).</summary>
    public static bool IsFinished(this TrialState state) => state is TrialState.Completed or TrialState.Failed or TrialState.Pruned;
}
