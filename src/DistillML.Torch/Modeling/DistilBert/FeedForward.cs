using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DistillML.Torch.Modeling.DistilBert;

/// <summary>DistilBERT's feed-forward network: lin2(gelu(lin1(x))) then dropout (Hugging Face <c>FFN</c>).</summary>
public sealed class FeedForward : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly Linear lin1, lin2;
    private readonly Dropout dropout;
#pragma warning restore IDE1006

    /// <summary>Creates the network for <paramref name="config"/>.</summary>
    public FeedForward(BertConfig config) : base("FFN")
    {
        lin1 = nn.Linear(config.HiddenSize, config.IntermediateSize);
        lin2 = nn.Linear(config.IntermediateSize, config.HiddenSize);
        dropout = nn.Dropout(config.HiddenDropout);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => dropout.forward(lin2.forward(nn.functional.gelu(lin1.forward(x))));
}
