namespace DistillML.Text.Decoding;

/// <summary>One non-null answer span of the n-best list.</summary>
/// <param name="Text">The answer, sliced from the original context.</param>
/// <param name="StartChar">Character offset of the answer in the context.</param>
/// <param name="EndChar">Character offset one past the answer's end.</param>
/// <param name="Score">start logit + end logit.</param>
/// <param name="StartLogit">The start logit.</param>
/// <param name="EndLogit">The end logit.</param>
/// <param name="Probability">Softmax of <paramref name="Score"/> over the n-best list (as Hugging Face's <c>probability</c>).</param>
/// <param name="WindowIndex">The window the span was read from.</param>
/// <param name="StartPosition">Position of the first token in that window.</param>
/// <param name="EndPosition">Position of the last token in that window.</param>
public sealed record AnswerCandidate(
    string Text, int StartChar, int EndChar, float Score, float StartLogit, float EndLogit, double Probability,
    int WindowIndex, int StartPosition, int EndPosition);
