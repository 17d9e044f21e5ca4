using TorchSharp;
using static TorchSharp.torch;

namespace DistillML.Torch.QuestionAnswering;

/// <summary>The QA training loss of <c>BertForQuestionAnswering</c>: the mean of start and end cross-entropies.</summary>
public static class SpanLoss
{
    /// <summary>(CE(start logits, start labels) + CE(end logits, end labels)) / 2.</summary>
    public static Tensor Compute(Tensor startLogits, Tensor endLogits, Tensor startPositions, Tensor endPositions) =>
        (nn.functional.cross_entropy(startLogits, startPositions) + nn.functional.cross_entropy(endLogits, endPositions)) / 2;
}
