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

    /// <summary>Creates the hidden-to-intermediate projection.</summary>
    public BertIntermediate(BertConfig config) : base(nameof(BertIntermediate))
    {
        dense = nn.Linear(config.HiddenSize, config.IntermediateSize);
        RegisterComponents();
    }

    /// <summary>gelu(dense(x)).</summary>
    public override Tensor forward(Tensor x) => nn.functional.gelu(dense.forward(x));
}
