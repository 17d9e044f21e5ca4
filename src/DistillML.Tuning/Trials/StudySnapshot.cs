using DistillML.Tuning.SearchSpace;

namespace DistillML.Tuning.Trials;

/// <summary>
/// A study as it stood at one moment, read-only: what a sampler proposes from (Optuna's study, as its samplers see it).
/// Finished trials in the order they finished (a later record of the same trial id replaces the earlier one) and the
/// pending ones, proposed and without a result yet, by trial id.
/// </summary>
public sealed class StudySnapshot
{
    /// <summary>A study with no trials.</summary>
    public static StudySnapshot Empty { get; } = new([], []);

    /// <summary>Builds a snapshot; a pending trial that also finished counts as finished.</summary>
    public StudySnapshot(IEnumerable<TrialResult> finished, IEnumerable<KeyValuePair<int, Parameter>> pending)
    {
        ArgumentNullException.ThrowIfNull(finished);
        ArgumentNullException.ThrowIfNull(pending);
        var results = new List<TrialResult>();
        var index = new Dictionary<int, int>();
        foreach (var result in finished)
        {
            ArgumentNullException.ThrowIfNull(result);
            int id = result.TrialSettings.TrialId;
            if (index.TryGetValue(id, out int i))
            {
                results[i] = result;
            }
            else
            {
                index[id] = results.Count;
                results.Add(result);
            }
        }

        Finished = results;
        Pending = new SortedDictionary<int, Parameter>(pending.Where(p => !index.ContainsKey(p.Key)).ToDictionary(p => p.Key, p => p.Value));
    }

    /// <summary>Finished trials (completed, failed, pruned) in the order they finished.</summary>
    public IReadOnlyList<TrialResult> Finished { get; }

    /// <summary>Proposed trials without a result, by trial id.</summary>
    public IReadOnlyDictionary<int, Parameter> Pending { get; }

    /// <summary>Finished plus pending trials.</summary>
    public int TrialCount => Finished.Count + Pending.Count;

    /// <summary>Every parameter finished or pending: what a seeded trial would only repeat.</summary>
    public HashSet<Parameter> SeenParameters() =>
        Finished.Select(r => r.TrialSettings.Parameter).Concat(Pending.Values).OfType<Parameter>().ToHashSet();
}
