using DistillML.Torch.Modeling.Bert;
using DistillML.Torch.Modeling.DistilBert;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DistillML.Torch.Modeling;

/// <summary>
/// A BERT, DistilBERT or ELECTRA encoder with a span-prediction head: Hugging Face's <c>BertForQuestionAnswering</c>,
/// <c>DistilBertForQuestionAnswering</c> and <c>ElectraForQuestionAnswering</c>, with the same computation and the
/// same tensor names in <c>state_dict()</c> (<c>bert.encoder.layer.0.attention.self.query.weight</c>,
/// <c>distilbert.transformer.layer.0.attention.q_lin.weight</c>, <c>electra.embeddings_project.weight</c>,
/// <c>qa_outputs.weight</c>, ...).
/// </summary>
public sealed class BertQaModel : nn.Module<Tensor, Tensor, Tensor?, QaModelOutput>
{
    private readonly nn.Module<Tensor, Tensor, Tensor?, EncoderOutput> encoder;
    private readonly FastDropout qaDropout;
    private readonly Linear qaOutputs;

    /// <summary>
    /// Creates a model with Hugging Face's initialisation (normal(0, initializer_range) weights, zero biases,
    /// unit LayerNorms, a zero padding embedding), drawn from <paramref name="generator"/>, or from torch's global
    /// generator when null (seed it with <c>torch.manual_seed</c>; a private generator keeps concurrent fits apart).
    /// </summary>
    public BertQaModel(BertConfig config, Device? device = null, Generator? generator = null) : base(config.Validate().QaArchitecture)
    {
        Config = config;
        // The encoder's name depends on the family ("bert" / "distilbert" / "electra"), so it is registered by hand
        // rather than through RegisterComponents, which would name it after the field. ELECTRA is BERT's encoder over a
        // factorised embedding.
        encoder = config.Family == ModelFamily.DistilBert ? new DistilBertEncoderModel(config, Compute) : new BertEncoderModel(config, Compute);
        register_module(config.BaseModelPrefix, encoder);
        qaDropout = new FastDropout(config.Family == ModelFamily.DistilBert ? config.QaDropout : 0); // BERT's and ELECTRA's QA heads have none
        register_module("dropout", qaDropout); // registered so that train()/eval() reach it
        qaOutputs = nn.Linear(config.HiddenSize, 2);
        register_module("qa_outputs", qaOutputs);
        InitializeWeights(generator);
        if (device is not null) this.to(device);
    }

    /// <summary>The architecture.</summary>
    public BertConfig Config { get; }

    /// <summary>Run-time compute choices shared by every module of this model (not saved with the checkpoint).</summary>
    public ComputeSettings Compute { get; } = new();

    /// <summary>
    /// The precision of the forward and backward passes. Default <see cref="Modeling.Precision.Float32"/>;
    /// <see cref="Modeling.Precision.BFloat16Mixed"/> runs the matmuls in bfloat16 over float32 master weights.
    /// </summary>
    public Precision Precision
    {
        get => Compute.Precision;
        set => Compute.Precision = value;
    }

    /// <summary>
    /// Sets <see cref="Precision"/> for the calling thread or async flow until the returned scope is disposed; other
    /// flows running the same model meanwhile keep theirs (a teacher shared by concurrent fits). The trainers use it.
    /// </summary>
    public IDisposable UsePrecision(Precision precision) => Compute.UsePrecision(precision);

    /// <summary>Sets <see cref="ReturnHiddenStates"/> for the calling flow only, until the returned scope is disposed.</summary>
    public IDisposable UseHiddenStates(bool returnHiddenStates) => Compute.UseHiddenStates(returnHiddenStates);

    /// <summary>The attention kernel (Hugging Face's <c>attn_implementation</c>). Default <see cref="Modeling.AttentionImplementation.Auto"/>.</summary>
    public AttentionImplementation AttentionImplementation
    {
        get => Compute.Attention;
        set => Compute.Attention = value;
    }

    /// <summary>The device the parameters live on.</summary>
    public Device Device => qaOutputs.weight!.device;

    /// <summary>
    /// The encoder's word embedding matrix [vocab, embedding width]: a new wrapper over the same storage at each read
    /// (TorchSharp's Embedding is a native module), so read it inside a dispose scope or dispose it.
    /// </summary>
    public Parameter WordEmbeddings => ((IQaEncoder)encoder).WordEmbeddings;

    /// <summary>The encoder alone (embeddings and layers), for pretraining heads and distillation.</summary>
    public nn.Module<Tensor, Tensor, Tensor?, EncoderOutput> Encoder => encoder;

    /// <summary>When set, <see cref="forward"/> also returns every layer's hidden states (Hugging Face <c>output_hidden_states</c>).</summary>
    public bool ReturnHiddenStates
    {
        get => ((IQaEncoder)encoder).ReturnHiddenStates;
        set => ((IQaEncoder)encoder).ReturnHiddenStates = value;
    }

    /// <summary>When set, <see cref="forward"/> also returns every layer's attention probabilities (<c>output_attentions</c>).</summary>
    public bool ReturnAttentions
    {
        get => ((IQaEncoder)encoder).ReturnAttentions;
        set => ((IQaEncoder)encoder).ReturnAttentions = value;
    }

    /// <summary>The <c>vocab.txt</c> the model's token ids refer to, when known; <see cref="Save"/> copies it into the checkpoint.</summary>
    public string? VocabularyPath { get; set; }

    /// <summary>
    /// Whether the vocabulary is uncased (text lower-cased and accents stripped before WordPiece): read from
    /// tokenizer_config.json's <c>do_lower_case</c> by <see cref="Load"/>, written into the tokenizer files by
    /// <see cref="Save"/>. Default true (bert-base-uncased's).
    /// </summary>
    public bool LowerCase { get; set; } = true;

    /// <summary>Loads a Hugging Face checkpoint directory (config.json, model.safetensors, vocab.txt); see <see cref="Checkpoints.BertCheckpoint.Load"/>.</summary>
    public static BertQaModel Load(string directory, Device? device = null) => Checkpoints.BertCheckpoint.Load(directory, device);

    /// <summary>Writes the model as a Hugging Face checkpoint directory, atomically; see <see cref="Checkpoints.BertCheckpoint.Save"/>.</summary>
    public void Save(string directory) => Checkpoints.BertCheckpoint.Save(this, directory);

    /// <summary>Number of parameters (equals <see cref="BertConfig.CountQaParameters"/>).</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>
    /// Span logits for [batch, seq] int64 <paramref name="inputIds"/> under a [batch, seq] 1/0 <paramref name="attentionMask"/>;
    /// <paramref name="tokenTypeIds"/> (BERT only) default to 0.
    /// </summary>
    public override QaModelOutput forward(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds)
    {
        var encoded = encoder.call(inputIds, attentionMask, tokenTypeIds);
        var logits = qaOutputs.call(qaDropout.call(encoded.LastHiddenState)); // float32 in every precision
        var split = logits.split(1, dim: -1);
        return new QaModelOutput(split[0].squeeze(-1), split[1].squeeze(-1), encoded.HiddenStates, encoded.Attentions);
    }

    /// <summary>
    /// Draws every dropout mask's seed from <paramref name="generator"/> until the returned scope is disposed (then from
    /// torch's global generator again), so that a training run's randomness is its own even while other fits run in
    /// the same process. The trainers use it with a generator seeded from their options.
    /// </summary>
    public IDisposable UseGenerator(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var dropouts = modules().OfType<FastDropout>().ToList();
        var previous = dropouts.Select(d => d.Generator).ToList();
        foreach (var d in dropouts) d.Generator = generator;
        return new RestoreOnDispose(() =>
        {
            for (int i = 0; i < dropouts.Count; i++) dropouts[i].Generator = previous[i];
        });
    }

    /// <summary>Re-draws every weight as Hugging Face's <c>_init_weights</c> does, from <paramref name="generator"/> (a CPU generator) or torch's global one.</summary>
    public void InitializeWeights(Generator? generator = null)
    {
        // TorchSharp 0.107 passes tensors to libtorch as raw handles and frees them in finalizers: a wrapper that nothing
        // references once its handle has been read can be finalized, its native tensor deleted, while libtorch still runs
        // on it (a segfault in bump_version after normal_). Embedding is a native module whose weight getter returns a
        // fresh wrapper per read, so every wrapper made here belongs to this scope, which holds it to the end and then
        // disposes it. Pinned by ModelInitializationTests.
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        double std = Config.InitializerRange;
        foreach (var (_, module) in named_modules())
        {
            switch (module)
            {
                case Linear linear:
                    linear.weight!.normal_(0, std, generator); // Tensor.normal_: TorchSharp 0.107's nn.init.normal_ ignores its generator (measured)
                    if (linear.bias is not null) nn.init.zeros_(linear.bias);
                    break;
                case Embedding embedding:
                    embedding.weight!.normal_(0, std, generator);
                    break;
                case LayerNorm norm:
                    nn.init.ones_(norm.weight!);
                    nn.init.zeros_(norm.bias!);
                    break;
            }
        }
        nn.init.zeros_(WordEmbeddings[Config.PadTokenId]); // the only embedding with a padding_idx
    }
}
