namespace DistillML.Text.Squad;

/// <summary>
/// <c>find_best_thresh</c> of evaluate-v2.0.py: start from "every question predicted unanswerable" (score = number of
/// unanswerable questions), walk the questions in increasing no-answer probability letting each answer, and keep the
/// best running score and the probability where it was reached (strictly better only; 0.0 when never bettered).
/// </summary>
internal static class BestThreshold
{
    public sealed record Result(double Exact, double ExactThreshold, double F1, double F1Threshold);

    public static Result Find(List<QuestionScore> scored, IReadOnlyDictionary<string, double> probabilities, int unanswerableCount)
    {
        var byId = scored.Where(s => s.Prediction is not null).ToDictionary(s => s.Id, StringComparer.Ordinal);
        // sorted(na_probs, key=na_probs.get): a stable sort of the dictionary's own order.
        var order = probabilities.OrderBy(p => p.Value).ToList();
        var (exact, exactThreshold) = Walk(order, byId, unanswerableCount, scored.Count, s => s.Exact);
        var (f1, f1Threshold) = Walk(order, byId, unanswerableCount, scored.Count, s => s.F1);
        return new Result(exact, exactThreshold, f1, f1Threshold);
    }

    static (double Score, double Threshold) Walk(List<KeyValuePair<string, double>> order, Dictionary<string, QuestionScore> byId,
        int unanswerableCount, int scoredCount, Func<QuestionScore, double> score)
    {
        double current = unanswerableCount, best = current, bestThreshold = 0.0;
        foreach (var (id, probability) in order)
        {
            if (!byId.TryGetValue(id, out var s)) continue;
            double diff = s.HasAnswer ? score(s) : s.Prediction!.Length > 0 ? -1 : 0;
            current += diff;
            if (current > best)
            {
                best = current;
                bestThreshold = probability;
            }
        }
        return (100.0 * best / scoredCount, bestThreshold);
    }
}
