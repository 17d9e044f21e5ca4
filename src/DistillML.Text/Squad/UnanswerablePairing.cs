namespace DistillML.Text.Squad;

/// <summary>
/// How <see cref="UnanswerablePairs"/> makes an unanswerable question from an answerable one: by asking it of another
/// paragraph (two ways of choosing it), or by changing one word of the question so that its own paragraph no longer
/// answers it.
/// </summary>
public enum UnanswerablePairing
{
    /// <summary>A paragraph of the article drawn at random: usually off the question's topic, the easy case.</summary>
    RandomParagraph,

    /// <summary>
    /// The paragraph of the article that shares the most informative question words (summed inverse document
    /// frequency over all paragraphs): on the question's topic without its answer, closer to SQuAD 2.0's written
    /// unanswerable questions, whose paragraphs hold plausible distractors.
    /// </summary>
    MostSimilarParagraph,

    /// <summary>
    /// The question asked of its own paragraph with its most informative name or number that the paragraph contains
    /// (highest inverse document frequency, outside the answers) replaced by a name, or a number of as many digits, from
    /// the article that this paragraph lacks: "When did Chopin move to Paris?"
    /// becomes "When did Chopin move to Vienna?". The entity swap of SQuAD 2.0's written questions, on text that still
    /// shares every other question word with the paragraph.
    /// </summary>
    SwappedQuestionWord,
}
