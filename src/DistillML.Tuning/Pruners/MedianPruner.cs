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
public sealed class MedianPruner : IPruner
{
    private readonly IntermediateReports _reports;
    private readonly int _startupTrials;
    private readonly int _warmupSteps;
    private readonly object _gate = new();

    /// <summary>Creates the pruner.</summary>
    /// <param name="direction">Whether the intermediate value is better low or high.</param>
    /// <param name="startupTrials">Finished trials needed before pruning starts.</param>
    /// <param name="warmupSteps">Steps of each trial never pruned.</param>
    public MedianPruner(ObjectiveDirection direction, int startupTrials = 5, int warmupSteps = 0)
    {
        _reports = new IntermediateReports(direction);
        _startupTrials = startupTrials;
        _warmupSteps = warmupSteps;
    }

    /// <summary>
    /// When set, <c>Peers(trial, other)</c> says whether finished trial <c>other</c> is part of <c>trial</c>'s baseline;
    /// the startup count then counts peers only. Null (the default) compares with every finished trial.
    /// </summary>
    public Func<int, int, bool>? Peers { get; init; }

    /// <inheritdoc />
    public bool ReportAndShouldPrune(int trialId, int step, double value)
    {
        lock (_gate)
        {
            _reports.Add(trialId, step, value);
            Func<int, bool>? include = Peers is { } peers ? other => peers(trialId, other) : null;
            if (_reports.CountFinished(include) < _startupTrials || step < _warmupSteps)
            {
                return false;
            }

            var others = _reports.AtStep(step, trialId, finishedOnly: true, include);
            if (others.Count == 0)
            {
                return false;
            }

            others.Sort();
            var median = others.Count % 2 == 1
                ? others[others.Count / 2]
                : 0.5 * (others[others.Count / 2 - 1] + others[others.Count / 2]);
            return _reports.Better(median, _reports.BestSoFar(trialId));
        }
    }

    /// <inheritdoc />
    public void Finish(int trialId)
    {
        lock (_gate)
        {
            _reports.Finish(trialId);
        }
    }
}
