using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Trials;

namespace DistillML.Tuning.Tuners;

/// <summary>
/// What a tuner knows: finished trials in arrival order and pending proposals. It holds no model state,
/// so a tuner rebuilt from a list of <see cref="TrialResult"/>s (a resumed sweep) knows the same.
/// </summary>
public sealed class TrialHistory
{
    private readonly SortedDictionary<int, Parameter> _pending = new();
    private readonly List<TrialResult> _results = new();
    private readonly Dictionary<int, int> _resultIndex = new();

    /// <summary>Finished trials in arrival order.</summary>
    public IReadOnlyList<TrialResult> Results => _results;

    /// <summary>Proposed trials without a result, by trial id.</summary>
    public IReadOnlyDictionary<int, Parameter> Pending => _pending;

    /// <summary>Finished plus pending trials.</summary>
    public int TrialCount => _results.Count + _pending.Count;

    /// <summary>The history as a read-only snapshot, what a <see cref="ISampler"/> proposes from.</summary>
    public StudySnapshot Snapshot() => new(_results, _pending);

    /// <summary>Marks a proposal as pending.</summary>
    public void AddPending(int trialId, Parameter parameter)
    {
        if (!_resultIndex.ContainsKey(trialId))
        {
            _pending[trialId] = parameter;
        }
    }

    /// <summary>Records a finished trial (replacing an earlier record of the same id) and clears its pending mark.</summary>
    public void Record(TrialResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var id = result.TrialSettings.TrialId;
        _pending.Remove(id);
        if (_resultIndex.TryGetValue(id, out var index))
        {
            _results[index] = result;
        }
        else
        {
            _resultIndex[id] = _results.Count;
            _results.Add(result);
        }
    }
}
