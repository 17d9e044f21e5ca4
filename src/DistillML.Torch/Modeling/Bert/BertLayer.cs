using TorchSharp;
using static TorchSharp.torch;

namespace DistillML.Torch.Modeling.Bert;

/// <summary>One post-LN transformer layer (Hugging Face <c>BertLayer</c>).</summary>
public sealed class BertLayer : nn.Module<Tensor, Tensor, (Tensor Output, Tensor? Probabilities)>
{
#pragma warning disable IDE1006
    private readonly BertAttention attention;
    private readonly BertIntermediate intermediate;
    private readonly BertResidualOutput output;
#pragma warning restore IDE1006

    /// <summary>Creates the layer for <paramref name="config"/>, sharing <paramref name="compute"/> (the owning model's).</summary>
    public BertLayer(BertConfig config, ComputeSettings? compute = null) : base(nameof(BertLayer))
    {
        compute ??= new ComputeSettings();
        attention = new BertAttention(config, compute);
        intermediate = new BertIntermediate(config, compute);
        output = new BertResidualOutput(config, config.IntermediateSize, compute);
        RegisterComponents();
    }

    /// <summary>Attention then feed-forward, each with residual and LayerNorm.</summary>
    public override (Tensor Output, Tensor? Probabilities) forward(Tensor hidden, Tensor maskBias)
    {
        var (attended, probabilities) = attention.call(hidden, maskBias);
        return (output.call(intermediate.call(attended), attended), probabilities);
    }
}
