using DistillML.Text.Features;

namespace DistillML.Text.Decoding;

/// <summary>A model's start and end logits for one window, one value per position of <see cref="Feature"/>.</summary>
/// <param name="Feature">The window the logits were computed for.</param>
/// <param name="StartLogits">Start logits; at least <see cref="QaFeature.SequenceLength"/> values (padding positions are ignored).</param>
/// <param name="EndLogits">End logits, same length rule.</param>
public readonly record struct WindowLogits(QaFeature Feature, ReadOnlyMemory<float> StartLogits, ReadOnlyMemory<float> EndLogits);
