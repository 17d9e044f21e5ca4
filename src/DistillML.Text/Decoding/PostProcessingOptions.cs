namespace DistillML.Text.Decoding;

/// <summary>
/// Settings of <see cref="SquadPostProcessor"/>; the defaults are Hugging Face's (<c>run_qa.py</c> / <c>run_squad.py</c>):
/// 20-best, answers of at most 30 tokens, null-score-difference threshold 0, SQuAD 2.0 (no-answer) mode.
/// </summary>
public sealed class PostProcessingOptions
{
    /// <summary>Start and end positions considered per window, and length of the n-best list. Default 20.</summary>
    public int NBestSize { get; set; } = 20;

    /// <summary>Longest answer, in tokens (end - start + 1). Default 30.</summary>
    public int MaxAnswerLength { get; set; } = 30;

    /// <summary>
    /// SQuAD 2.0 mode: predict "" when the null score beats the best span by more than
    /// <see cref="NullScoreDiffThreshold"/>. Default true; set false for SQuAD 1.1, where a span is always predicted.
    /// </summary>
    public bool AllowNoAnswer { get; set; } = true;

    /// <summary>
    /// The prediction is "" when <c>nullScore - bestSpanScore &gt; NullScoreDiffThreshold</c> (only with
    /// <see cref="AllowNoAnswer"/>). Default 0. A best threshold found on no-answer probabilities p maps back to
    /// <c>ln(p / (1 - p))</c> (see <see cref="SquadPrediction.NoAnswerProbability"/>).
    /// </summary>
    public double NullScoreDiffThreshold { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> for settings that cannot decode.</summary>
    public void Validate()
    {
        if (NBestSize < 1) throw new ArgumentException($"NBestSize must be at least 1, not {NBestSize}.");
        if (MaxAnswerLength < 1) throw new ArgumentException($"MaxAnswerLength must be at least 1, not {MaxAnswerLength}.");
        if (double.IsNaN(NullScoreDiffThreshold)) throw new ArgumentException("NullScoreDiffThreshold must be a number.");
    }
}
