using DistillML.Text.Squad;

namespace DistillML.Text.Tests.Squad;

/// <summary>
/// Deterministic, deliberately varied predictions and no-answer probabilities for a dataset: exact golds, golds with
/// case/punctuation/article/white-space noise, wider and narrower spans, random context spans, question words, other
/// questions' answers, empty, punctuation-only and article-only answers, and Unicode edge cases of Python's
/// lower()/split()/\w. Probabilities are often multiples of 0.05, so ties occur. The golden numbers in
/// <see cref="SquadMetricGoldenTests"/> were computed from exactly these by Golden/squad_reference_eval.py.
/// </summary>
static class GoldenPredictions
{
    static readonly string[] PunctuationOnly = ["...", "!?", "-", "'", "\"\"", "()", "$%", "@#&*"];
    static readonly string[] ArticlesOnly = ["the", "A", "an the", "The a An", " a. "];
    static readonly string[] Tricky =
    [
        "ΣΑΣ ΟΔΟΣ", "İstanbul", "the\u00b2 war", "thé", "the\u0301 end", "x\u001cy the", "An\u00a0apple", "the_the",
        "ﬁne", "naïve café", "ὈΔΥΣΣΕΎΣ", "a-the-an", "1,000", "ＴＨＥ ｗａｒ", "Straße", "the\u200bend", "a\u2028b",
        "\u00bd the", "the\u0903", "Ⅻ the", "ß", "\U0001D400 the \U0001F600", "ΑΣ'", "ab\u0085c",
    ];

    public static (Dictionary<string, string> Predictions, Dictionary<string, double> NoAnswerProbabilities) For(
        IReadOnlyList<SquadExample> examples, ulong seed, double missingFraction = 0)
    {
        var rng = new SplitMix(seed);
        var predictions = new Dictionary<string, string>();
        var probabilities = new Dictionary<string, double>();
        for (int i = 0; i < examples.Count; i++)
        {
            var e = examples[i];
            if (rng.NextDouble() < missingFraction) continue;
            predictions[e.Id] = Predict(e, examples[(int)rng.Next((ulong)examples.Count)], rng);
            double bias = e.IsImpossible ? 0.25 : -0.1;
            probabilities[e.Id] = rng.NextDouble() < 0.6
                ? Math.Clamp((int)rng.Next(21) + (int)Math.Round(bias * 20), 0, 20) / 20.0
                : Math.Clamp(rng.NextDouble() + bias, 0, 1);
        }
        return (predictions, probabilities);
    }

    static string Predict(SquadExample e, SquadExample other, SplitMix rng)
    {
        string gold = e.Answers.Count == 0 ? "" : e.Answers[(int)rng.Next((ulong)e.Answers.Count)].Text;
        string[] contextWords = e.Context.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        switch (rng.Next(14))
        {
            case 0: return "";
            case 1: return e.Answers.Count == 0 ? "" : e.Answers[0].Text;
            case 2: return $"\"{gold.ToUpperInvariant()}!\"";
            case 3: return $"The {gold}.";
            case 4:
                {
                    int start = (int)rng.Next((ulong)contextWords.Length), length = 1 + (int)rng.Next(8);
                    return string.Join(' ', contextWords.Skip(start).Take(length));
                }
            case 5:
                {
                    if (e.Answers.Count == 0) return Pick(Tricky, rng);
                    var a = e.Answers[0];
                    int before = (int)rng.Next(3), after = (int)rng.Next(3);
                    int s = a.Start, t = a.End;
                    for (int k = 0; k < before && s > 0; k++) s = Math.Max(0, e.Context.LastIndexOf(' ', Math.Max(0, s - 2)));
                    for (int k = 0; k < after && t < e.Context.Length; k++) { int n = e.Context.IndexOf(' ', t + 1); t = n < 0 ? e.Context.Length : n; }
                    return e.Context[s..t];
                }
            case 6:
                {
                    var words = gold.Split(' ');
                    return words.Length < 2 ? gold : string.Join(' ', rng.Next(2) == 0 ? words[1..] : words[..^1]);
                }
            case 7: return Pick(PunctuationOnly, rng);
            case 8: return Pick(ArticlesOnly, rng);
            case 9: return $"  \t{gold.Replace(" ", "  ")}\n ";
            case 10: return rng.Next(2) == 0 ? Pick(Tricky, rng) : $"{gold} {Pick(Tricky, rng)}";
            case 11:
                {
                    var words = e.Question.Split(' ');
                    int start = (int)rng.Next((ulong)words.Length);
                    return string.Join(' ', words.Skip(start).Take(1 + (int)rng.Next(4)));
                }
            case 12: return other.Answers.Count == 0 ? "" : other.Answers[0].Text;
            default: return gold.Length == 0 ? Pick(contextWords, rng) : gold.ToLowerInvariant();
        }
    }

    static string Pick(string[] items, SplitMix rng) => items[(int)rng.Next((ulong)items.Length)];

    /// <summary>SplitMix64: a tiny generator whose sequence never changes with the runtime.</summary>
    sealed class SplitMix(ulong seed)
    {
        ulong _state = seed;

        public ulong NextUInt64()
        {
            ulong z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        public ulong Next(ulong bound) => NextUInt64() % bound;

        public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));
    }
}
