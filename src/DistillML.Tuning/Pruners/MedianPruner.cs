using DistillML.Tuning.Objectives;

namespace DistillML.Tuning.Pruners;

/// <summary>
/// Prunes a trial whose best intermediate value so far is worse than the median of the values that finished
/// trials reported at the same step (Optuna's MedianPruner). No pruning before <c>startupTrials</c> trials have
/// finished or before step <c>warmupSteps</c>.
/// <para>
/// In a multi-objective study set <see cref="Peers"/>: a trial is then compared only with the finished trials it
/// should beat, for example those no larger than it. Plain median pruning on accuracy alone stops every small
/// student early, although being small is what puts it on the Pareto front.
/// </para>
/// </summary>
/// <param name="direction">Whether the intermediate value is better low or high.</param>
/// <param name="startupTrials">Finished trials (peers, when <see cref="Peers"/> is set) needed before pruning starts.</param>
/// <param name="warmupSteps">Steps of each trial never pruned.</param>
public sealed class MedianPruner(ObjectiveDirection direction, int startupTrials = 5, int warmupSteps = 0) : IPruner
{
    /// <summary>
    /// When set, <c>Peers(trial, other)</c> says whether finished trial <c>other</c> is part of <c>trial</c>'s baseline;
    /// the startup count then counts peers only. Null (the default) compares with every finished trial.
    /// </summary>
    public Func<PrunedTrialView, PrunedTrialView, bool>? Peers { get; init; }

    /// <inheritdoc />
    public bool ShouldPrune(PruningSnapshot study, PrunedTrialView trial)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        if (trial.LastStep is not { } step || step < warmupSteps) return false;
        var baseline = study.Finished.Where(t => t.Number != trial.Number && (Peers is null || Peers(trial, t))).ToList();
        if (baseline.Count < startupTrials) return false;
        var others = baseline.Select(t => t.ValueAt(step)).OfType<double>().Order().ToList();
        if (others.Count == 0) return false;
        double median = others.Count % 2 == 1 ? others[others.Count / 2] : 0.5 * (others[others.Count / 2 - 1] + others[others.Count / 2]);
        var values = trial.IntermediateValues.Select(v => v.Value);
        double best = direction == ObjectiveDirection.Minimize ? values.Min() : values.Max();
        return direction.Better(median, best);
    }
}
