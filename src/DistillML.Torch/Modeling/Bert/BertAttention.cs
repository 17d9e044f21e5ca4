using TorchSharp;
using static TorchSharp.torch;

namespace DistillML.Torch.Modeling.Bert;

/// <summary>Self-attention followed by its residual output block (Hugging Face <c>BertAttention</c>).</summary>
public sealed class BertAttention : nn.Module<Tensor, Tensor, (Tensor Output, Tensor? Probabilities)>
{
#pragma warning disable IDE1006
    private readonly BertSelfAttention self;
    private readonly BertResidualOutput output;
#pragma warning restore IDE1006

    /// <summary>Creates the attention block for <paramref name="config"/>, sharing <paramref name="compute"/> (the owning model's).</summary>
    public BertAttention(BertConfig config, ComputeSettings? compute = null) : base(nameof(BertAttention))
    {
        compute ??= new ComputeSettings();
        self = new BertSelfAttention(config, compute);
        output = new BertResidualOutput(config, config.HiddenSize, compute);
        RegisterComponents();
    }

    /// <summary>Attends and adds the residual.</summary>
    public override (Tensor Output, Tensor? Probabilities) forward(Tensor hidden, Tensor maskBias)
    {
        var (context, probabilities) = self.call(hidden, maskBias);
        return (output.call(context, hidden), probabilities);
    }
}
