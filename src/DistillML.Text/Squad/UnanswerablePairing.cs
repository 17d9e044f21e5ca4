namespace DistillML.Text.Squad;

/// <summary>How <see cref="UnanswerablePairs"/> chooses the paragraph a made unanswerable question is asked of.</summary>
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
}
