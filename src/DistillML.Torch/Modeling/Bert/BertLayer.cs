using TorchSharp;
using static TorchSharp.torch;

namespace DistillML.Torch.Modeling.Bert;

/// <summary>One post-LN transformer layer (Hugging Face <c>BertLayer</c>).</summary>
public sealed class BertLayer : nn.Module<Tensor, Tensor, (Tensor Output, Tensor Probabilities)>
{
#pragma warning disable IDE1006
    private readonly BertAttention attention;
    private readonly BertIntermediate intermediate;
    private readonly BertResidualOutput output;
#pragma warning restore IDE1006

    /// <summary>Creates the layer for <paramref name="config"/>.</summary>
    public BertLayer(BertConfig config) : base(nameof(BertLayer))
    {
        attention = new BertAttention(config);
        intermediate = new BertIntermediate(config);
        output = new BertResidualOutput(config, config.IntermediateSize);
        RegisterComponents();
    }

    /// <summary>Attention then feed-forward, each with residual and LayerNorm.</summary>
    public override (Tensor Output, Tensor Probabilities) forward(Tensor hidden, Tensor maskBias)
    {
        var (attended, probabilities) = attention.forward(hidden, maskBias);
        return (output.forward(intermediate.forward(attended), attended), probabilities);
    }
}
