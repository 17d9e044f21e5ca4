using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DistillML.Torch.Modeling.Bert;

/// <summary>Multi-head self-attention projections (Hugging Face <c>BertSelfAttention</c>): returns the context and the probabilities.</summary>
public sealed class BertSelfAttention : nn.Module<Tensor, Tensor, (Tensor Context, Tensor Probabilities)>
{
#pragma warning disable IDE1006
    private readonly Linear query, key, value;
    private readonly Dropout dropout;
#pragma warning restore IDE1006
    private readonly int heads;

    /// <summary>Creates the attention projections for <paramref name="config"/>.</summary>
    public BertSelfAttention(BertConfig config) : base(nameof(BertSelfAttention))
    {
        heads = config.NumHeads;
        query = nn.Linear(config.HiddenSize, config.HiddenSize);
        key = nn.Linear(config.HiddenSize, config.HiddenSize);
        value = nn.Linear(config.HiddenSize, config.HiddenSize);
        dropout = nn.Dropout(config.AttentionDropout);
        RegisterComponents();
    }

    /// <summary>Attends [batch, seq, hidden] states under an additive mask bias [batch, 1, 1, seq].</summary>
    public override (Tensor Context, Tensor Probabilities) forward(Tensor hidden, Tensor maskBias) =>
        AttentionMath.Attend(
            AttentionMath.SplitHeads(query.forward(hidden), heads),
            AttentionMath.SplitHeads(key.forward(hidden), heads),
            AttentionMath.SplitHeads(value.forward(hidden), heads),
            maskBias, dropout);
}
