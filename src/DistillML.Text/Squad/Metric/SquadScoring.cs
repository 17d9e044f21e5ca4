namespace DistillML.Text.Squad;

/// <summary>Exact match and token F1 of one prediction against one gold answer, as the official scripts compute them.</summary>
public static class SquadScoring
{
    /// <summary><c>compute_exact</c> (v2.0) / <c>exact_match_score</c> (v1.1): 1 when the normalized texts are equal, else 0.</summary>
    public static int ExactMatch(string gold, string prediction) =>
        SquadAnswerNormalizer.Normalize(gold) == SquadAnswerNormalizer.Normalize(prediction) ? 1 : 0;

    /// <summary>
    /// <c>compute_f1</c> of the v2.0 script: token-overlap F1 of the normalized texts; when either has no tokens,
    /// 1 if both have none, else 0.
    /// </summary>
    public static double F1(string gold, string prediction)
    {
        string[] goldTokens = SquadAnswerNormalizer.Tokens(gold), predTokens = SquadAnswerNormalizer.Tokens(prediction);
        if (goldTokens.Length == 0 || predTokens.Length == 0) return goldTokens.Length == predTokens.Length ? 1 : 0;
        return F1OfTokens(goldTokens, predTokens);
    }

    /// <summary><c>f1_score</c> of the v1.1 script: as <see cref="F1"/> but 0 whenever no token is shared, even when both are empty.</summary>
    public static double F1V1(string gold, string prediction) =>
        F1OfTokens(SquadAnswerNormalizer.Tokens(gold), SquadAnswerNormalizer.Tokens(prediction));

    static double F1OfTokens(string[] goldTokens, string[] predTokens)
    {
        int numSame = CommonCount(goldTokens, predTokens);
        if (numSame == 0) return 0;
        // Same operations, in the same order, as the scripts, so the doubles agree to the last bit.
        double precision = 1.0 * numSame / predTokens.Length;
        double recall = 1.0 * numSame / goldTokens.Length;
        return 2 * precision * recall / (precision + recall);
    }

    // sum((Counter(gold) & Counter(pred)).values())
    static int CommonCount(string[] gold, string[] pred)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in gold) counts[t] = counts.GetValueOrDefault(t) + 1;
        int same = 0;
        foreach (var t in pred)
            if (counts.TryGetValue(t, out int n) && n > 0) { counts[t] = n - 1; same++; }
        return same;
    }
}
