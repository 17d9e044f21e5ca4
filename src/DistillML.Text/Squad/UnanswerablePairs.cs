namespace DistillML.Text.Squad;

/// <summary>
/// Unanswerable SQuAD questions made from answerable ones: a question asked of another paragraph of the same article,
/// one that holds none of its gold answers. SQuAD 2.0's own unanswerable questions were written against their paragraph
/// (plausible but absent answers) and are harder; these add the easy half of the skill, on-topic text that does not
/// answer, in the amount SQuAD 2.0's training set has (a third of its questions) when only a few real ones are at hand.
/// </summary>
public static class UnanswerablePairs
{
    /// <summary>The suffix of a made question's id (the source question's id before it).</summary>
    public const string IdSuffix = "_other_paragraph";

    /// <summary>
    /// For each answerable question, with probability <paramref name="share"/> (deterministic per <paramref name="seed"/>),
    /// the same question paired with a paragraph drawn from the other paragraphs of its article (<see cref="SquadExample.Title"/>)
    /// that contain none of its answers (ordinal, ignoring case); questions of one-paragraph articles, and those every
    /// other paragraph answers, are skipped. Returns only the made questions, in the order of their sources.
    /// <paramref name="pairing"/> picks the paragraph: at random, or the one most like the question (then the seed only
    /// decides which questions get a pair, and the paragraph is a function of the data).
    /// </summary>
    /// <param name="examples">Source questions; unanswerable ones are never used as sources.</param>
    /// <param name="share">Fraction of answerable questions that get a pair, in [0, 1]. 0.5 gives SQuAD 2.0's proportion
    /// (one unanswerable question for every two answerable ones).</param>
    /// <param name="seed">Seed of the draw.</param>
    /// <param name="pairing">How the paragraph is chosen. Default <see cref="UnanswerablePairing.RandomParagraph"/>.</param>
    public static IReadOnlyList<SquadExample> FromOtherParagraphs(IReadOnlyList<SquadExample> examples, double share, int seed,
        UnanswerablePairing pairing = UnanswerablePairing.RandomParagraph)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (!(share is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(share), share, "The share of questions that get a pair must be in [0, 1].");
        var paragraphsByArticle = examples
            .GroupBy(e => e.Title, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Context).Distinct(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        var similarity = pairing == UnanswerablePairing.MostSimilarParagraph ? new WordOverlap(paragraphsByArticle.Values.SelectMany(p => p)) : null;
        var random = new Random(seed);
        var made = new List<SquadExample>();
        foreach (var source in examples)
        {
            if (source.IsImpossible || source.Answers.Count == 0) continue;
            if (random.NextDouble() >= share) continue;
            var paragraphs = paragraphsByArticle[source.Title];
            if (paragraphs.Length < 2) continue;
            if (similarity is not null)
            {
                var words = WordOverlap.Words(source.Question);
                string? best = paragraphs
                    .Where(p => !string.Equals(p, source.Context, StringComparison.Ordinal) && !source.Answers.Any(a => p.Contains(a.Text, StringComparison.OrdinalIgnoreCase)))
                    .OrderByDescending(similarity.Score(words)) // stable: ties keep the article's order
                    .FirstOrDefault();
                if (best is not null) made.Add(new SquadExample(source.Id + IdSuffix, source.Title, best, source.Question, [], IsImpossible: true));
                continue;
            }
            // A few draws are enough: most paragraphs of an article do not contain a given answer.
            for (int attempt = 0; attempt < 8; attempt++)
            {
                string other = paragraphs[random.Next(paragraphs.Length)];
                if (string.Equals(other, source.Context, StringComparison.Ordinal)) continue;
                if (source.Answers.Any(a => other.Contains(a.Text, StringComparison.OrdinalIgnoreCase))) continue;
                made.Add(new SquadExample(source.Id + IdSuffix, source.Title, other, source.Question, [], IsImpossible: true));
                break;
            }
        }
        return made;
    }

    /// <summary>
    /// Question-paragraph similarity: the summed inverse document frequency (over all paragraphs) of the distinct
    /// question words the paragraph contains. A few lines of classic IR; function words that occur everywhere weigh
    /// nearly nothing, so no stop-word list is needed.
    /// </summary>
    private sealed class WordOverlap
    {
        private readonly Dictionary<string, HashSet<string>> wordsByParagraph = new(StringComparer.Ordinal);
        private readonly Dictionary<string, double> idf = new(StringComparer.Ordinal);

        public WordOverlap(IEnumerable<string> paragraphs)
        {
            foreach (var p in paragraphs)
                if (!wordsByParagraph.ContainsKey(p)) wordsByParagraph[p] = Words(p);
            var documentFrequency = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var words in wordsByParagraph.Values)
                foreach (var w in words) documentFrequency[w] = documentFrequency.GetValueOrDefault(w) + 1;
            foreach (var (w, df) in documentFrequency) idf[w] = Math.Log((double)wordsByParagraph.Count / df);
        }

        public Func<string, double> Score(HashSet<string> questionWords) => paragraph =>
        {
            var words = wordsByParagraph[paragraph];
            double score = 0;
            foreach (var w in questionWords)
                if (words.Contains(w)) score += idf[w];
            return score;
        };

        /// <summary>Lower-cased runs of letters and digits.</summary>
        public static HashSet<string> Words(string text)
        {
            var words = new HashSet<string>(StringComparer.Ordinal);
            int start = -1;
            for (int i = 0; i <= text.Length; i++)
            {
                bool inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
                if (inWord && start < 0) start = i;
                else if (!inWord && start >= 0)
                {
                    words.Add(text[start..i].ToLowerInvariant());
                    start = -1;
                }
            }
            return words;
        }
    }
}
