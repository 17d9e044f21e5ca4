namespace DistillML.Tuning.Pruners;

/// <summary>
/// Decides whether a running trial should stop early, as a function of the study (Optuna's <c>BasePruner.prune(study,
/// trial)</c>): the trial's intermediate values so far and a snapshot of the other trials. Implementations keep no state
/// between calls, so they are thread-safe and give every worker of a distributed study the same answer.
/// </summary>
public interface IPruner
{
    /// <summary>True when <paramref name="trial"/>, whose last intermediate value was just reported, should be pruned.</summary>
    /// <param name="study">The study's other trials.</param>
    /// <param name="trial">The running trial; its last entry of <see cref="PrunedTrialView.IntermediateValues"/> is the new report.</param>
    bool ShouldPrune(PruningSnapshot study, PrunedTrialView trial);
}
