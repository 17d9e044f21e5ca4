using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DistillML.Torch.Modeling.DistilBert;

/// <summary>DistilBERT's attention: q/k/v projections, scaled dot product, output projection (Hugging Face <c>MultiHeadSelfAttention</c>).</summary>
public sealed class MultiHeadSelfAttention : nn.Module<Tensor, Tensor, (Tensor Output, Tensor? Probabilities)>
{
#pragma warning disable IDE1006
    private readonly Linear q_lin, k_lin, v_lin, out_lin;
    private readonly FastDropout dropout;
#pragma warning restore IDE1006
    private readonly int heads;
    private readonly ComputeSettings compute;

    /// <summary>Creates the attention for <paramref name="config"/>, sharing <paramref name="compute"/> (the owning model's).</summary>
    public MultiHeadSelfAttention(BertConfig config, ComputeSettings? compute = null) : base(nameof(MultiHeadSelfAttention))
    {
        heads = config.NumHeads;
        this.compute = compute ?? new ComputeSettings();
        q_lin = nn.Linear(config.HiddenSize, config.HiddenSize);
        k_lin = nn.Linear(config.HiddenSize, config.HiddenSize);
        v_lin = nn.Linear(config.HiddenSize, config.HiddenSize);
        out_lin = nn.Linear(config.HiddenSize, config.HiddenSize);
        dropout = new FastDropout(config.AttentionDropout);
        RegisterComponents();
    }

    /// <summary>Attends and projects back to the hidden size (no residual; the block adds it).</summary>
    public override (Tensor Output, Tensor? Probabilities) forward(Tensor hidden, Tensor maskBias)
    {
        var (context, probabilities) = AttentionMath.SelfAttend(q_lin, k_lin, v_lin, hidden, maskBias, heads, dropout, compute, compute.ReturnAttentions);
        return (compute.Project(out_lin, context), probabilities);
    }
}
