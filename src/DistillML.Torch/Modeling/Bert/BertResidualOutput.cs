using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DistillML.Torch.Modeling.Bert;

/// <summary>
/// Projection, dropout, residual add and LayerNorm: Hugging Face's <c>BertSelfOutput</c> (after attention,
/// hidden to hidden) and <c>BertOutput</c> (after the feed-forward layer, intermediate to hidden) share this shape.
/// </summary>
public sealed class BertResidualOutput : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly Linear dense;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;
#pragma warning restore IDE1006

    /// <summary>Creates the block projecting <paramref name="inputSize"/> to the hidden size.</summary>
    public BertResidualOutput(BertConfig config, int inputSize) : base(nameof(BertResidualOutput))
    {
        dense = nn.Linear(inputSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize, eps: config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropout);
        RegisterComponents();
    }

    /// <summary>LayerNorm(dropout(dense(x)) + residual).</summary>
    public override Tensor forward(Tensor x, Tensor residual) => LayerNorm.forward(dropout.forward(dense.forward(x)) + residual);
}
