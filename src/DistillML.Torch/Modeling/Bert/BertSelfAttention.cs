using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DistillML.Torch.Modeling.Bert;

/// <summary>Multi-head self-attention projections (Hugging Face <c>BertSelfAttention</c>): returns the context and the probabilities.</summary>
public sealed class BertSelfAttention : nn.Module<Tensor, Tensor, (Tensor Context, Tensor? Probabilities)>
{
#pragma warning disable IDE1006
    private readonly Linear query, key, value;
    private readonly FastDropout dropout;
#pragma warning restore IDE1006
    private readonly int heads;
    private readonly ComputeSettings compute;

    /// <summary>Creates the attention projections for <paramref name="config"/>; <paramref name="compute"/> is the owning model's (a private one when null).</summary>
    public BertSelfAttention(BertConfig config, ComputeSettings? compute = null) : base(nameof(BertSelfAttention))
    {
        heads = config.NumHeads;
        this.compute = compute ?? new ComputeSettings();
        query = nn.Linear(config.HiddenSize, config.HiddenSize);
        key = nn.Linear(config.HiddenSize, config.HiddenSize);
        value = nn.Linear(config.HiddenSize, config.HiddenSize);
        dropout = new FastDropout(config.AttentionDropout);
        RegisterComponents();
    }

    /// <summary>Attends [batch, seq, hidden] states under an additive mask bias [batch, 1, 1, seq]; probabilities only on the eager path.</summary>
    public override (Tensor Context, Tensor? Probabilities) forward(Tensor hidden, Tensor maskBias) =>
        AttentionMath.SelfAttend(query, key, value, hidden, maskBias, heads, dropout, compute, compute.ReturnAttentions);
}
