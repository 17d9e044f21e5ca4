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
    private readonly FastDropout dropout;
#pragma warning restore IDE1006
    private readonly ComputeSettings compute;

    /// <summary>Creates the block projecting <paramref name="inputSize"/> to the hidden size, sharing <paramref name="compute"/> (the owning model's).</summary>
    public BertResidualOutput(BertConfig config, int inputSize, ComputeSettings? compute = null) : base(nameof(BertResidualOutput))
    {
        this.compute = compute ?? new ComputeSettings();
        dense = nn.Linear(inputSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize, eps: config.LayerNormEps);
        dropout = new FastDropout(config.HiddenDropout);
        RegisterComponents();
    }

    /// <summary>LayerNorm(dropout(dense(x)) + residual); the sum and the LayerNorm are float32 in every precision (the residual is).</summary>
    public override Tensor forward(Tensor x, Tensor residual) => LayerNorm.call(dropout.call(compute.Project(dense, x)).Plus(residual));
}
