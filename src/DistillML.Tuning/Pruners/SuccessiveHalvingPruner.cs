using DistillML.Tuning.Objectives;

namespace DistillML.Tuning.Pruners;

/// <summary>
/// Asynchronous successive halving: rungs at steps r·η^k (r = <c>minResource</c>, η = <c>reductionFactor</c>).
/// When a trial reaches a rung, its value is recorded there and the trial continues only if it ranks among the
/// best ⌈n/η⌉ of the n values recorded at that rung so far (ties kept); between rungs it is never pruned.
/// </summary>
public sealed class SuccessiveHalvingPruner : IPruner
{
    private readonly IntermediateReports _reports;
    private readonly int _minResource;
    private readonly int _reductionFactor;
    private readonly Dictionary<int, List<double>> _rungs = new();
    private readonly Dictionary<int, int> _nextRung = new();
    private readonly object _gate = new();

    /// <summary>Creates the pruner.</summary>
    public SuccessiveHalvingPruner(ObjectiveDirection direction, int minResource = 1, int reductionFactor = 3)
    {
        if (minResource < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(minResource), "The minimum resource must be at least 1.");
        }

        if (reductionFactor < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(reductionFactor), "The reduction factor must be at least 2.");
        }

        _reports = new IntermediateReports(direction);
        _minResource = minResource;
        _reductionFactor = reductionFactor;
    }

    /// <summary>The step of rung <paramref name="k"/>.</summary>
    public long RungStep(int k) => _minResource * (long)Math.Pow(_reductionFactor, k);

    /// <inheritdoc />
    public bool ReportAndShouldPrune(int trialId, int step, double value)
    {
        lock (_gate)
        {
            _reports.Add(trialId, step, value);
            var rung = _nextRung.GetValueOrDefault(trialId);
            var prune = false;
            while (step >= RungStep(rung))
            {
                if (!_rungs.TryGetValue(rung, out var values))
                {
                    _rungs[rung] = values = new List<double>();
                }

                values.Add(value);
                var keep = (int)Math.Ceiling(values.Count / (double)_reductionFactor);
                var better = values.Count(v => _reports.Better(v, value));
                rung++;
                if (better >= keep)
                {
                    prune = true;
                    break;
                }
            }

            _nextRung[trialId] = rung;
            return prune;
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
