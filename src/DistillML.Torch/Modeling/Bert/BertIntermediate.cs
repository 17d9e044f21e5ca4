using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DistillML.Torch.Modeling.Bert;

/// <summary>The feed-forward expansion with exact (erf) GELU (Hugging Face <c>BertIntermediate</c>).</summary>
public sealed class BertIntermediate : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly Linear dense;
#pragma warning restore IDE1006
    private readonly ComputeSettings compute;

    /// <summary>Creates the hidden-to-intermediate projection, sharing <paramref name="compute"/> (the owning model's).</summary>
    public BertIntermediate(BertConfig config, ComputeSettings? compute = null) : base(nameof(BertIntermediate))
    {
        this.compute = compute ?? new ComputeSettings();
        dense = nn.Linear(config.HiddenSize, config.IntermediateSize);
        RegisterComponents();
    }

    /// <summary>gelu(dense(x)).</summary>
    public override Tensor forward(Tensor x) => nn.functional.gelu(compute.Project(dense, x));
}
