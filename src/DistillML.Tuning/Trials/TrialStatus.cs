namespace DistillML.Tuning.Trials;

/// <summary>How a trial ended.</summary>
public enum TrialStatus
{
    /// <summary>It ran to the end and reported its metrics.</summary>
    Completed,

    /// <summary>It threw or produced no usable metrics; tuners keep it out of their models but steer away from it.</summary>
    Failed,

    /// <summary>A pruner stopped it early; its metrics, if any, are partial.</summary>
    Pruned,
}
