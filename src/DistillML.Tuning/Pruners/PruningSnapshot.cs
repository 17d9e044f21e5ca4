using DistillML.Tuning.SearchSpace;

namespace DistillML.Tuning.Pruners;

/// <summary>A trial as a pruner sees it: its number, whether it has ended, its parameters and its intermediate values.</summary>
/// <param name="Number">The trial number.</param>
/// <param name="IsFinished">True when the trial has ended (completed, pruned or failed): its values are then part of other trials' baseline.</param>
/// <param name="Parameter">The trial's point of the search space; null when unknown.</param>
/// <param name="IntermediateValues">(step, value) reports in increasing step order.</param>
public sealed record PrunedTrialView(int Number, bool IsFinished, Parameter? Parameter, IReadOnlyList<KeyValuePair<int, double>> IntermediateValues)
{
    /// <summary>The last report's step, or null before the first.</summary>
    public int? LastStep => IntermediateValues.Count == 0 ? null : IntermediateValues[^1].Key;

    /// <summary>The value reported at <paramref name="step"/>, or null.</summary>
    public double? ValueAt(int step)
    {
        foreach (var (s, v) in IntermediateValues)
            if (s == step) return v;
        return null;
    }
}

/// <summary>
/// A read-only snapshot of a study for a pruning decision (Optuna's <c>prune(study, trial)</c>): every trial but the
/// one being decided, with its state, parameters and intermediate values, read from the trial store when the decision
/// is made. Pruners are functions of it and remember nothing, so every worker of a study decides alike.
/// </summary>
/// <param name="Trials">The study's other trials (finished and running).</param>
public sealed record PruningSnapshot(IReadOnlyList<PrunedTrialView> Trials)
{
    /// <summary>The finished trials.</summary>
    public IEnumerable<PrunedTrialView> Finished => Trials.Where(t => t.IsFinished);
}
