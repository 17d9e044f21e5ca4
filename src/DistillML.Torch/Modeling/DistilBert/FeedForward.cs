using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DistillML.Torch.Modeling.DistilBert;

/// <summary>DistilBERT's feed-forward network: lin2(gelu(lin1(x))) then dropout (Hugging Face <c>FFN</c>).</summary>
public sealed class FeedForward : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly Linear lin1, lin2;
    private readonly FastDropout dropout;
#pragma warning restore IDE1006
    private readonly ComputeSettings compute;

    /// <summary>Creates the network for <paramref name="config"/>, sharing <paramref name="compute"/> (the owning model's).</summary>
    public FeedForward(BertConfig config, ComputeSettings? compute = null) : base("FFN")
    {
        this.compute = compute ?? new ComputeSettings();
        lin1 = nn.Linear(config.HiddenSize, config.IntermediateSize);
        lin2 = nn.Linear(config.IntermediateSize, config.HiddenSize);
        dropout = new FastDropout(config.HiddenDropout);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => dropout.call(compute.Project(lin2, nn.functional.gelu(compute.Project(lin1, x))));
}
