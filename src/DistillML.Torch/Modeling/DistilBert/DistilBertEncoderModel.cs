using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DistillML.Torch.Modeling.DistilBert;

/// <summary>DistilBERT's embeddings and layer stack (the <c>distilbert.</c> prefix of <c>DistilBertForQuestionAnswering</c>).</summary>
public sealed class DistilBertEncoderModel : nn.Module<Tensor, Tensor, Tensor?, EncoderOutput>, IQaEncoder
{
#pragma warning disable IDE1006
    private readonly DistilBertEmbeddings embeddings;
    private readonly DistilBertTransformer transformer;
#pragma warning restore IDE1006
    private readonly ComputeSettings compute;

    /// <summary>Creates the encoder for <paramref name="config"/>, sharing <paramref name="compute"/> (the owning model's).</summary>
    public DistilBertEncoderModel(BertConfig config, ComputeSettings? compute = null) : base(nameof(DistilBertEncoderModel))
    {
        this.compute = compute ?? new ComputeSettings();
        embeddings = new DistilBertEmbeddings(config);
        transformer = new DistilBertTransformer(config, this.compute);
        RegisterComponents();
    }

    /// <inheritdoc />
    public Parameter WordEmbeddings => embeddings.WordEmbeddings;

    /// <inheritdoc />
    public bool ReturnHiddenStates { get => compute.ReturnHiddenStates; set => compute.ReturnHiddenStates = value; }

    /// <inheritdoc />
    public bool ReturnAttentions { get => compute.ReturnAttentions; set => compute.ReturnAttentions = value; }

    /// <summary>Encodes [batch, seq] ids under a [batch, seq] 1/0 mask; <paramref name="tokenTypeIds"/> is ignored (DistilBERT has none).</summary>
    public override EncoderOutput forward(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds)
    {
        var hidden = embeddings.call(inputIds);
        return transformer.Run(hidden, AttentionMath.MaskBias(attentionMask, hidden.dtype), ReturnHiddenStates, ReturnAttentions);
    }

    private sealed class DistilBertTransformer : nn.Module
    {
#pragma warning disable IDE1006
        private readonly ModuleList<TransformerBlock> layer;
#pragma warning restore IDE1006

        public DistilBertTransformer(BertConfig config, ComputeSettings compute) : base("Transformer")
        {
            layer = new ModuleList<TransformerBlock>(Enumerable.Range(0, config.NumLayers).Select(_ => new TransformerBlock(config, compute)).ToArray());
            RegisterComponents();
        }

        public EncoderOutput Run(Tensor hidden, Tensor bias, bool returnHidden, bool returnAttentions) =>
            LayerStack.Run(layer, hidden, bias, returnHidden, returnAttentions, (l, h, b) => l.call(h, b));
    }
}
