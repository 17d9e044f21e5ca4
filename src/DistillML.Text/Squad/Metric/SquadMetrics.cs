namespace DistillML.Text.Squad;

/// <summary>Which official evaluation script a <see cref="SquadMetrics"/> follows.</summary>
public enum SquadVersion
{
    /// <summary>evaluate-v1.1.py: exact match and F1 only.</summary>
    V1_1,

    /// <summary>evaluate-v2.0.py: unanswerable questions, HasAns/NoAns breakdowns, no-answer thresholds.</summary>
    V2_0,
}

/// <summary>Exact match and F1 (percentages, 0 to 100) over a set of questions.</summary>
/// <param name="Exact">Exact match, percent.</param>
/// <param name="F1">Token F1, percent.</param>
/// <param name="Total">Number of questions scored.</param>
public sealed record SquadSubsetMetrics(double Exact, double F1, int Total);

/// <summary>
/// The result of the official SQuAD evaluation. Percentages run from 0 to 100, as in the scripts' output.
/// <see cref="ToOfficialDictionary"/> gives them under the scripts' own keys.
/// </summary>
/// <param name="Version">The script followed.</param>
/// <param name="Exact">Exact match over all scored questions (<c>exact</c>; v1.1's <c>exact_match</c>).</param>
/// <param name="F1">F1 over all scored questions (<c>f1</c>).</param>
/// <param name="Total">Questions scored (<c>total</c>).</param>
/// <param name="HasAns">Answerable questions (<c>HasAns_*</c>); null for v1.1 or when there are none.</param>
/// <param name="NoAns">Unanswerable questions (<c>NoAns_*</c>); null for v1.1 or when there are none.</param>
/// <param name="BestExact">Exact match at the best no-answer threshold (<c>best_exact</c>); null without no-answer probabilities.</param>
/// <param name="BestExactThreshold">That threshold (<c>best_exact_thresh</c>).</param>
/// <param name="BestF1">F1 at the best no-answer threshold (<c>best_f1</c>).</param>
/// <param name="BestF1Threshold">That threshold (<c>best_f1_thresh</c>).</param>
/// <param name="MissingPredictionIds">Questions that had no prediction (handled as
/// <see cref="SquadEvaluationOptions.MissingPredictions"/> says).</param>
public sealed record SquadMetrics(
    SquadVersion Version,
    double Exact,
    double F1,
    int Total,
    SquadSubsetMetrics? HasAns,
    SquadSubsetMetrics? NoAns,
    double? BestExact,
    double? BestExactThreshold,
    double? BestF1,
    double? BestF1Threshold,
    IReadOnlyList<string> MissingPredictionIds)
{
    /// <summary>The metrics under the official script's keys and in its order (<c>exact</c>, <c>f1</c>, <c>total</c>,
    /// <c>HasAns_exact</c>, ..., <c>best_f1_thresh</c>; v1.1: <c>exact_match</c>, <c>f1</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, double>> ToOfficialDictionary()
    {
        var d = new List<KeyValuePair<string, double>>();
        void Add(string key, double? value) { if (value is { } v) d.Add(new(key, v)); }
        if (Version == SquadVersion.V1_1)
        {
            Add("exact_match", Exact);
            Add("f1", F1);
            return d;
        }
        Add("exact", Exact);
        Add("f1", F1);
        Add("total", Total);
        foreach (var (prefix, subset) in new[] { ("HasAns", HasAns), ("NoAns", NoAns) })
        {
            Add(prefix + "_exact", subset?.Exact);
            Add(prefix + "_f1", subset?.F1);
            Add(prefix + "_total", subset?.Total);
        }
        Add("best_exact", BestExact);
        Add("best_exact_thresh", BestExactThreshold);
        Add("best_f1", BestF1);
        Add("best_f1_thresh", BestF1Threshold);
        return d;
    }
}
