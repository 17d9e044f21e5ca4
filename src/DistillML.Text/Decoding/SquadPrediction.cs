namespace DistillML.Text.Decoding;

/// <summary>The decoded answer of one question.</summary>
/// <param name="ExampleId">The SQuAD question id.</param>
/// <param name="Text">The predicted answer; "" for "no answer".</param>
/// <param name="StartChar">Character offset of <paramref name="Text"/> in the context; -1 for "no answer".</param>
/// <param name="EndChar">Character offset one past its end; -1 for "no answer".</param>
/// <param name="Score">Score of the prediction: the best span's start+end logit, or the null score when "no answer" wins.</param>
/// <param name="NullScore">Lowest start_logit[CLS] + end_logit[CLS] over the windows (Hugging Face's null score).</param>
/// <param name="NoAnswerProbability">
/// sigmoid(<paramref name="NullScore"/> - best span score), 1 when no valid span exists. Chosen over a softmax across
/// the n-best list because it is monotonic in the very score difference that
/// <see cref="PostProcessingOptions.NullScoreDiffThreshold"/> tests, so the SQuAD metric's best threshold on these
/// probabilities corresponds to a score-difference threshold <c>ln(p / (1 - p))</c>.
/// </param>
/// <param name="NBest">The best non-null spans, best first (at most <see cref="PostProcessingOptions.NBestSize"/>).</param>
public sealed record SquadPrediction(
    string ExampleId, string Text, int StartChar, int EndChar, float Score, float NullScore, double NoAnswerProbability,
    IReadOnlyList<AnswerCandidate> NBest)
{
    /// <summary>True when the prediction is "no answer".</summary>
    public bool IsNoAnswer => Text.Length == 0 && StartChar < 0;

    /// <summary>The best non-null span, whether or not it won; null when no window had a valid span.</summary>
    public AnswerCandidate? BestSpan => NBest.Count > 0 ? NBest[0] : null;
}
