using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DistillML.Torch.Modeling.DistilBert;

/// <summary>One DistilBERT layer: attention, residual, LayerNorm, feed-forward, residual, LayerNorm (Hugging Face <c>TransformerBlock</c>).</summary>
public sealed class TransformerBlock : nn.Module<Tensor, Tensor, (Tensor Output, Tensor? Probabilities)>
{
#pragma warning disable IDE1006
    private readonly MultiHeadSelfAttention attention;
    private readonly LayerNorm sa_layer_norm;
    private readonly FeedForward ffn;
    private readonly LayerNorm output_layer_norm;
#pragma warning restore IDE1006

    /// <summary>Creates the block for <paramref name="config"/>, sharing <paramref name="compute"/> (the owning model's).</summary>
    public TransformerBlock(BertConfig config, ComputeSettings? compute = null) : base(nameof(TransformerBlock))
    {
        compute ??= new ComputeSettings();
        attention = new MultiHeadSelfAttention(config, compute);
        sa_layer_norm = nn.LayerNorm(config.HiddenSize, eps: config.LayerNormEps);
        ffn = new FeedForward(config, compute);
        output_layer_norm = nn.LayerNorm(config.HiddenSize, eps: config.LayerNormEps);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override (Tensor Output, Tensor? Probabilities) forward(Tensor hidden, Tensor maskBias)
    {
        var (attended, probabilities) = attention.call(hidden, maskBias);
        var afterAttention = sa_layer_norm.call(attended.Plus(hidden));
        return (output_layer_norm.call(ffn.call(afterAttention).Plus(afterAttention)), probabilities);
    }
}
