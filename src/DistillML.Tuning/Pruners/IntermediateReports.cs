using DistillML.Tuning.Objectives;

namespace DistillML.Tuning.Pruners;

/// <summary>Intermediate values per trial and step, with the direction that tells better from worse.</summary>
internal sealed class IntermediateReports
{
    private readonly Dictionary<int, SortedDictionary<int, double>> _values = new();
    private readonly HashSet<int> _finished = new();

    public IntermediateReports(ObjectiveDirection direction) => Direction = direction;

    public ObjectiveDirection Direction { get; }

    public void Add(int trialId, int step, double value)
    {
        if (!_values.TryGetValue(trialId, out var steps))
        {
            _values[trialId] = steps = new SortedDictionary<int, double>();
        }

        steps[step] = value;
    }

    public void Finish(int trialId) => _finished.Add(trialId);

    /// <summary>Values at <paramref name="step"/> of other trials (finished ones only when <paramref name="finishedOnly"/>).</summary>
    public List<double> AtStep(int step, int exceptTrial, bool finishedOnly, Func<int, bool>? include = null) =>
        _values.Where(kv => kv.Key != exceptTrial && (!finishedOnly || _finished.Contains(kv.Key)) && kv.Value.ContainsKey(step)
                && (include is null || include(kv.Key)))
            .Select(kv => kv.Value[step]).ToList();

    /// <summary>Finished trials for which <paramref name="include"/> holds (all when it is null).</summary>
    public int CountFinished(Func<int, bool>? include) => include is null ? _finished.Count : _finished.Count(include);

    /// <summary>The best value reported so far by a trial.</summary>
    public double BestSoFar(int trialId) => Direction == ObjectiveDirection.Minimize ? _values[trialId].Values.Min() : _values[trialId].Values.Max();

    public int FinishedCount => _finished.Count;

    /// <summary>Whether <paramref name="a"/> is strictly better than <paramref name="b"/>.</summary>
    public bool Better(double a, double b) => Direction == ObjectiveDirection.Minimize ? a < b : a > b;
}
