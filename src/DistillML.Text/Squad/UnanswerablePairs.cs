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
    /// </summary>
    /// <param name="examples">Source questions; unanswerable ones are never used as sources.</param>
    /// <param name="share">Fraction of answerable questions that get a pair, in [0, 1]. 0.5 gives SQuAD 2.0's proportion
    /// (one unanswerable question for every two answerable ones).</param>
    /// <param name="seed">Seed of the draw.</param>
    public static IReadOnlyList<SquadExample> FromOtherParagraphs(IReadOnlyList<SquadExample> examples, double share, int seed)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (!(share is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(share), share, "The share of questions that get a pair must be in [0, 1].");
        var paragraphsByArticle = examples
            .GroupBy(e => e.Title, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Context).Distinct(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        var random = new Random(seed);
        var made = new List<SquadExample>();
        foreach (var source in examples)
        {
            if (source.IsImpossible || source.Answers.Count == 0) continue;
            if (random.NextDouble() >= share) continue;
            var paragraphs = paragraphsByArticle[source.Title];
            if (paragraphs.Length < 2) continue;
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
}
