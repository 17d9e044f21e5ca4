using static TorchSharp.torch;

namespace DistillML.Torch.Distillation;

/// <summary>The weighted total and the unweighted terms of <see cref="DistillationLoss.Compute"/> (scalars).</summary>
/// <param name="Total">What is minimised.</param>
/// <param name="SoftTarget">T²-scaled KL to the teacher's softened start/end distributions (mean of start and end).</param>
/// <param name="Span">Cross-entropy on the labels (mean of start and end).</param>
/// <param name="Cosine">1 - cosine between last hidden states; null when its weight is 0.</param>
public sealed record DistillationLossTerms(Tensor Total, Tensor SoftTarget, Tensor Span, Tensor? Cosine);
