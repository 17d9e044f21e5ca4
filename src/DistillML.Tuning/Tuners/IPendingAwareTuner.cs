namespace DistillML.Tuning.Tuners;

/// <summary>
/// A tuner that also learns from trials still running: <see cref="TrialHistory.AddPending"/> tells it which parameters
/// other workers are training, so that it does not propose them again. The store shows every tuner that implements
/// this the study's pending trials before it proposes (<c>TunerProposals</c>); a custom <see cref="ITuner"/> opts in by
/// implementing it, as the built-in tuners do.
/// </summary>
public interface IPendingAwareTuner : ITuner
{
    /// <summary>The tuner's record of finished and pending trials.</summary>
    TrialHistory History { get; }
}
