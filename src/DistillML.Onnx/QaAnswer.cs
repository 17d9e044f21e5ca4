namespace DistillML.Onnx;

/// <summary>A question to answer from a context.</summary>
/// <param name="Question">The question.</param>
/// <param name="Context">The text holding the answer, if any.</param>
public sealed record QaQuestion(string Question, string Context);

/// <summary>The answer to one question.</summary>
/// <param name="Text">The answer, sliced from the context; "" when the model finds none.</param>
/// <param name="Start">Character offset of the answer in the context; -1 for no answer.</param>
/// <param name="End">Character offset one past its end; -1 for no answer.</param>
/// <param name="Score">The best span's start+end logit, or the null score when "no answer" wins.</param>
/// <param name="NoAnswerProbability">sigmoid(null score - best span score): the model's belief that the context holds no answer.</param>
public sealed record QaAnswer(string Text, int Start, int End, float Score, double NoAnswerProbability)
{
    /// <summary>True when the model predicts that the context holds no answer.</summary>
    public bool IsNoAnswer => Start < 0;
}
