using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DistillML.Torch.Modeling.Bert;

/// <summary>
/// BERT's embeddings and layer stack without the pooler (Hugging Face <c>BertModel(add_pooling_layer=False)</c>,
/// the <c>bert.</c> prefix of <c>BertForQuestionAnswering</c>); for <see cref="ModelFamily.Electra"/> also
/// <c>ElectraModel</c>, the same with the embeddings projected to the hidden width by <c>embeddings_project</c>.
/// </summary>
public sealed class BertEncoderModel : nn.Module<Tensor, Tensor, Tensor?, EncoderOutput>, IQaEncoder
{
#pragma warning disable IDE1006
    private readonly BertEmbeddings embeddings;
    private readonly BertEncoderLayers encoder;
    private readonly Linear? embeddings_project; // ELECTRA only, when embedding_size != hidden_size (null is not registered)
#pragma warning restore IDE1006
    private readonly ComputeSettings compute;

    /// <summary>Creates the encoder for <paramref name="config"/>, sharing <paramref name="compute"/> (the owning model's).</summary>
    public BertEncoderModel(BertConfig config, ComputeSettings? compute = null) : base(nameof(BertEncoderModel))
    {
        this.compute = compute ?? new ComputeSettings();
        embeddings = new BertEmbeddings(config);
        encoder = new BertEncoderLayers(config, this.compute);
        if (config.HasEmbeddingProjection) embeddings_project = nn.Linear(config.EmbeddingWidth, config.HiddenSize);
        RegisterComponents();
    }

    /// <inheritdoc />
    public Parameter WordEmbeddings => embeddings.WordEmbeddings;

    /// <inheritdoc />
    public bool ReturnHiddenStates { get => compute.ReturnHiddenStates; set => compute.ReturnHiddenStates = value; }

    /// <inheritdoc />
    public bool ReturnAttentions { get => compute.ReturnAttentions; set => compute.ReturnAttentions = value; }

    /// <summary>Encodes [batch, seq] ids under a [batch, seq] 1/0 attention mask.</summary>
    public override EncoderOutput forward(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds)
    {
        var hidden = embeddings.call(inputIds, tokenTypeIds);
        // The projection starts the residual stream, which stays float32 in every precision.
        if (embeddings_project is not null) hidden = compute.Project(embeddings_project, hidden).to_type(ScalarType.Float32);
        var bias = AttentionMath.MaskBias(attentionMask, hidden.dtype);
        return encoder.Run(hidden, bias, ReturnHiddenStates, ReturnAttentions);
    }

    /// <summary>The <c>encoder.layer</c> list (Hugging Face <c>BertEncoder</c>).</summary>
    private sealed class BertEncoderLayers : nn.Module
    {
#pragma warning disable IDE1006
        private readonly ModuleList<BertLayer> layer;
#pragma warning restore IDE1006

        public BertEncoderLayers(BertConfig config, ComputeSettings compute) : base("BertEncoder")
        {
            layer = new ModuleList<BertLayer>(Enumerable.Range(0, config.NumLayers).Select(_ => new BertLayer(config, compute)).ToArray());
            RegisterComponents();
        }

        public EncoderOutput Run(Tensor hidden, Tensor bias, bool returnHidden, bool returnAttentions) =>
            LayerStack.Run(layer, hidden, bias, returnHidden, returnAttentions, (l, h, b) => l.call(h, b));
    }
}
