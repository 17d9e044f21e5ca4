namespace DistillML.Tuning.Pruners;

/// <summary>
/// Decides from intermediate reports (step, value) whether a running trial should stop early.
/// Implementations are thread-safe; a trial reports in increasing step order.
/// </summary>
public interface IPruner
{
    /// <summary>Records an intermediate value and returns true when the trial should be pruned.</summary>
    bool ReportAndShouldPrune(int trialId, int step, double value);

    /// <summary>Marks a trial as finished (completed, pruned or failed): its reports then serve as the baseline of later trials.</summary>
    void Finish(int trialId);
}
