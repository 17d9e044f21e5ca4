using static TorchSharp.torch;

namespace DistillML.Torch.Modeling;

/// <summary>What an encoder returns: the last layer's states and, when asked for, every layer's states and attentions.</summary>
/// <param name="LastHiddenState">[batch, seq, hidden] output of the last layer.</param>
/// <param name="HiddenStates">When requested: the embeddings' output then each layer's output (layers + 1 tensors), as Hugging Face's <c>hidden_states</c>.</param>
/// <param name="Attentions">When requested: each layer's attention probabilities [batch, heads, seq, seq], as Hugging Face's <c>attentions</c>.</param>
public sealed record EncoderOutput(Tensor LastHiddenState, IReadOnlyList<Tensor>? HiddenStates, IReadOnlyList<Tensor>? Attentions);

/// <summary>Output of <see cref="BertQaModel"/>: span logits and, when requested, the encoder's intermediate tensors.</summary>
/// <param name="StartLogits">[batch, seq] scores for the answer's first token.</param>
/// <param name="EndLogits">[batch, seq] scores for the answer's last token.</param>
/// <param name="HiddenStates">See <see cref="EncoderOutput.HiddenStates"/>.</param>
/// <param name="Attentions">See <see cref="EncoderOutput.Attentions"/>.</param>
public sealed record QaModelOutput(Tensor StartLogits, Tensor EndLogits, IReadOnlyList<Tensor>? HiddenStates, IReadOnlyList<Tensor>? Attentions);
