using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DistillML.Torch.Modeling.DistilBert;

/// <summary>One DistilBERT layer: attention, residual, LayerNorm, feed-forward, residual, LayerNorm (Hugging Face <c>TransformerBlock</c>).</summary>
public sealed class TransformerBlock : nn.Module<Tensor, Tensor, (Tensor Output, Tensor Probabilities)>
{
#pragma warning disable IDE1006
    private readonly MultiHeadSelfAttention attention;
    private readonly LayerNorm sa_layer_norm;
    private readonly FeedForward ffn;
    private readonly LayerNorm output_layer_norm;
#pragma warning restore IDE1006

    /// <summary>Creates the block for <paramref name="config"/>.</summary>
    public TransformerBlock(BertConfig config) : base(nameof(TransformerBlock))
    {
        attention = new MultiHeadSelfAttention(config);
        sa_layer_norm = nn.LayerNorm(config.HiddenSize, eps: config.LayerNormEps);
        ffn = new FeedForward(config);
        output_layer_norm = nn.LayerNorm(config.HiddenSize, eps: config.LayerNormEps);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override (Tensor Output, Tensor Probabilities) forward(Tensor hidden, Tensor maskBias)
    {
        var (attended, probabilities) = attention.forward(hidden, maskBias);
        var afterAttention = sa_layer_norm.forward(attended + hidden);
        return (output_layer_norm.forward(ffn.forward(afterAttention) + afterAttention), probabilities);
    }
}
