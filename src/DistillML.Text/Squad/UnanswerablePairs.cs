namespace DistillML.Text.Squad;

/// <summary>
/// Unanswerable SQuAD questions made from answerable ones: a question asked of another paragraph of the same article,
/// one that holds none of its gold answers, or asked of its own paragraph with one informative word swapped for one the
/// paragraph lacks. SQuAD 2.0's own unanswerable questions were written against their paragraph (plausible but absent
/// answers) and are harder; these add parts of the skill, on-topic text that does not answer and a question that almost
/// matches, in the amount SQuAD 2.0's training set has (a third of its questions) when only a few real ones are at hand.
/// </summary>
public static class UnanswerablePairs
{
    /// <summary>The suffix of the id of a question asked of another paragraph (the source question's id before it).</summary>
    public const string IdSuffix = "_other_paragraph";

    /// <summary>The suffix of the id of a question with a swapped word (the source question's id before it).</summary>
    public const string SwappedIdSuffix = "_swapped_word";

    /// <summary>
    /// Made unanswerable questions, as <paramref name="kind"/> says: <see cref="FromOtherParagraphs"/> for the two
    /// pairings, <see cref="WithSwappedQuestionWord"/> for <see cref="UnanswerablePairing.SwappedQuestionWord"/>.
    /// </summary>
    public static IReadOnlyList<SquadExample> Make(IReadOnlyList<SquadExample> examples, double share, int seed, UnanswerablePairing kind) =>
        kind == UnanswerablePairing.SwappedQuestionWord ? WithSwappedQuestionWord(examples, share, seed) : FromOtherParagraphs(examples, share, seed, kind);

    /// <summary>
    /// For each answerable question, with probability <paramref name="share"/> (deterministic per <paramref name="seed"/>),
    /// the question asked of its own paragraph with one word swapped (<see cref="UnanswerablePairing.SwappedQuestionWord"/>):
    /// the name or number in the question (not its first word; at least 3 characters) of highest inverse document frequency
    /// (over all paragraphs) that the paragraph contains and no answer does, replaced by one drawn from the article's other
    /// words of the same shape (a name: capitalised, never in lower case in the article; a number of as many digits) that
    /// occur neither in this paragraph nor in the question.
    /// Questions with no such word or replacement, and those of one-paragraph articles, are skipped. Returns only the made
    /// questions, in the order of their sources.
    /// </summary>
    /// <remarks>
    /// The made question shares all its other words with the paragraph, so the model cannot tell it from an answerable
    /// one by overlap alone, as with SQuAD 2.0's entity-swap questions; it can still be answerable by accident (another
    /// name of the same thing swapped in), which a few percent of noise in the negatives tolerates.
    /// </remarks>
    /// <param name="examples">Source questions; unanswerable ones are never used as sources.</param>
    /// <param name="share">Fraction of answerable questions that get a swapped twin, in [0, 1].</param>
    /// <param name="seed">Seed of the draw.</param>
    public static IReadOnlyList<SquadExample> WithSwappedQuestionWord(IReadOnlyList<SquadExample> examples, double share, int seed)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (!(share is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(share), share, "The share of questions that get a twin must be in [0, 1].");
        var paragraphsByArticle = ParagraphsByArticle(examples);
        var overlap = new WordOverlap(paragraphsByArticle.Values.SelectMany(p => p));
        var replacementsByArticle = new Dictionary<string, (string Word, WordShape Shape)[]>(StringComparer.Ordinal);
        var random = new Random(seed);
        var made = new List<SquadExample>();
        foreach (var source in examples)
        {
            if (source.IsImpossible || source.Answers.Count == 0) continue;
            if (random.NextDouble() >= share) continue;
            if (paragraphsByArticle[source.Title].Length < 2) continue;
            var paragraphWords = overlap.WordsOf(source.Context);
            var answerWords = source.Answers.SelectMany(a => WordOverlap.Spans(a.Text)).Select(s => s.Word.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
            var questionSpans = WordOverlap.Spans(source.Question);
            var target = questionSpans
                .Where(s => s.Start > 0 && ShapeOf(s.Word) is not null && paragraphWords.Contains(s.Word.ToLowerInvariant()) && !answerWords.Contains(s.Word.ToLowerInvariant()))
                .OrderByDescending(s => overlap.Idf(s.Word.ToLowerInvariant())) // stable: ties keep the question's order
                .Select(s => ((int Start, string Word)?)s)
                .FirstOrDefault();
            if (target is not { } swap) continue;
            if (!replacementsByArticle.TryGetValue(source.Title, out var replacements))
                replacementsByArticle[source.Title] = replacements = ArticleWords(paragraphsByArticle[source.Title]);
            var questionWords = questionSpans.Select(s => s.Word.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
            var shape = ShapeOf(swap.Word);
            var candidates = replacements
                .Where(r => r.Shape == shape && !paragraphWords.Contains(r.Word.ToLowerInvariant()) && !questionWords.Contains(r.Word.ToLowerInvariant()))
                .ToArray();
            if (candidates.Length == 0) continue;
            string replacement = candidates[random.Next(candidates.Length)].Word;
            string question = string.Concat(source.Question.AsSpan(0, swap.Start), replacement, source.Question.AsSpan(swap.Start + swap.Word.Length));
            made.Add(new SquadExample(source.Id + SwappedIdSuffix, source.Title, source.Context, question, [], IsImpossible: true));
        }
        return made;
    }

    // The distinct paragraphs of each article (by title), in order of first use.
    private static Dictionary<string, string[]> ParagraphsByArticle(IReadOnlyList<SquadExample> examples) =>
        examples.GroupBy(e => e.Title, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Context).Distinct(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);

    /// <summary>What may be swapped for what: a number for a number of as many digits, a name for a name.</summary>
    private readonly record struct WordShape(bool Name, int Digits);

    // Only names and numbers are swapped: a lower-case word swapped for another mostly breaks the grammar ("What is in
    // coached of the Main Building?"), a cue that real unanswerable questions do not carry. Words shorter than 3 characters
    // (of, to, 1) and mixed forms ("3rd", "iPhone") are never swapped.
    private static WordShape? ShapeOf(string word) =>
        word.Length < 3 ? null
        : word.All(char.IsAsciiDigit) ? new WordShape(false, word.Length)
        : word.All(char.IsLetter) && char.IsUpper(word[0]) ? new WordShape(true, 0)
        : null;

    // The article's names (capitalised words that never occur in lower case in it, so not "The" of a sentence start)
    // and numbers, distinct and in ordinal order so that the draw depends on the data only.
    private static (string Word, WordShape Shape)[] ArticleWords(IEnumerable<string> paragraphs)
    {
        var words = paragraphs.SelectMany(WordOverlap.Spans).Select(s => s.Word).Distinct(StringComparer.Ordinal).ToList();
        var lowerCase = words.Where(w => char.IsLower(w[0])).ToHashSet(StringComparer.Ordinal);
        return words.Order(StringComparer.Ordinal)
            .Select(w => (Word: w, Shape: ShapeOf(w)))
            .Where(w => w.Shape is { } shape && (!shape.Name || !lowerCase.Contains(w.Word.ToLowerInvariant())))
            .Select(w => (w.Word, w.Shape!.Value)).ToArray();
    }

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
        var paragraphsByArticle = ParagraphsByArticle(examples);
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

        /// <summary>The lower-cased words of a paragraph given to the constructor.</summary>
        public HashSet<string> WordsOf(string paragraph) => wordsByParagraph[paragraph];

        /// <summary>log(paragraphs / paragraphs containing the lower-cased word); 0 for a word in none.</summary>
        public double Idf(string word) => idf.GetValueOrDefault(word);

        public Func<string, double> Score(HashSet<string> questionWords) => paragraph =>
        {
            var words = wordsByParagraph[paragraph];
            double score = 0;
            foreach (var w in questionWords)
                if (words.Contains(w)) score += idf[w];
            return score;
        };

        /// <summary>Lower-cased runs of letters and digits.</summary>
        public static HashSet<string> Words(string text) => Spans(text).Select(s => s.Word.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);

        /// <summary>Runs of letters and digits as written, with where each starts.</summary>
        public static List<(int Start, string Word)> Spans(string text)
        {
            var spans = new List<(int Start, string Word)>();
            int start = -1;
            for (int i = 0; i <= text.Length; i++)
            {
                bool inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
                if (inWord && start < 0) start = i;
                else if (!inWord && start >= 0)
                {
                    spans.Add((start, text[start..i]));
                    start = -1;
                }
            }
            return spans;
        }
    }
}
