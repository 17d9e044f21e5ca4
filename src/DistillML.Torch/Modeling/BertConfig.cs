namespace DistillML.Torch.Modeling;

/// <summary>
/// Architecture of a BERT, DistilBERT or ELECTRA question-answering model, with Hugging Face's meaning for every field.
/// Read and written as <c>config.json</c> by <see cref="BertConfigJson"/>; defaults are bert-base-uncased's.
/// </summary>
public sealed record BertConfig
{
    /// <summary>Which family (and so which tensor names and embeddings) the model has. Default <see cref="ModelFamily.Bert"/>.</summary>
    public ModelFamily Family { get; init; } = ModelFamily.Bert;
    /// <summary>Vocabulary size (<c>vocab_size</c>). Default 30522, bert-base-uncased's.</summary>
    public int VocabSize { get; init; } = 30522;
    /// <summary>Width of every token vector (<c>hidden_size</c>; DistilBERT <c>dim</c>). Default 768.</summary>
    public int HiddenSize { get; init; } = 768;
    /// <summary>
    /// ELECTRA's <c>embedding_size</c>: the width of the embedding tables and their LayerNorm, projected to
    /// <see cref="HiddenSize"/> by <c>embeddings_project</c> when the two differ. Null (the default) for BERT and
    /// DistilBERT, whose tables are <see cref="HiddenSize"/> wide; required for <see cref="ModelFamily.Electra"/>.
    /// </summary>
    public int? EmbeddingSize { get; init; }
    /// <summary>Number of transformer layers (<c>num_hidden_layers</c>; DistilBERT <c>n_layers</c>). Default 12.</summary>
    public int NumLayers { get; init; } = 12;
    /// <summary>Attention heads per layer (<c>num_attention_heads</c>; DistilBERT <c>n_heads</c>). Must divide <see cref="HiddenSize"/>. Default 12.</summary>
    public int NumHeads { get; init; } = 12;
    /// <summary>Width of the feed-forward layer (<c>intermediate_size</c>; DistilBERT <c>hidden_dim</c>). Default 3072.</summary>
    public int IntermediateSize { get; init; } = 3072;
    /// <summary>Activation of the feed-forward layer (<c>hidden_act</c> / <c>activation</c>). Only <c>gelu</c> (the exact, erf form) is supported.</summary>
    public string HiddenAct { get; init; } = "gelu";
    /// <summary>Dropout on embeddings and sub-layer outputs (<c>hidden_dropout_prob</c>; DistilBERT <c>dropout</c>). Default 0.1.</summary>
    public double HiddenDropout { get; init; } = 0.1;
    /// <summary>Dropout on attention probabilities (<c>attention_probs_dropout_prob</c>; DistilBERT <c>attention_dropout</c>). Default 0.1.</summary>
    public double AttentionDropout { get; init; } = 0.1;
    /// <summary>DistilBERT's dropout before the QA head (<c>qa_dropout</c>); BERT's QA head has none. Default 0.1.</summary>
    public double QaDropout { get; init; } = 0.1;
    /// <summary>Longest sequence the position embeddings cover (<c>max_position_embeddings</c>). Default 512.</summary>
    public int MaxPositionEmbeddings { get; init; } = 512;
    /// <summary>Number of token types (<c>type_vocab_size</c>); 0 for DistilBERT. Default 2.</summary>
    public int TypeVocabSize { get; init; } = 2;
    /// <summary>LayerNorm epsilon (<c>layer_norm_eps</c>); DistilBERT's is fixed at 1e-12. Default 1e-12.</summary>
    public double LayerNormEps { get; init; } = 1e-12;
    /// <summary>Id of the padding token (<c>pad_token_id</c>). Default 0.</summary>
    public int PadTokenId { get; init; }
    /// <summary>Standard deviation of the normal weight initialisation (<c>initializer_range</c>). Default 0.02.</summary>
    public double InitializerRange { get; init; } = 0.02;

    /// <summary>Size of one attention head.</summary>
    public int HeadSize => HiddenSize / NumHeads;

    /// <summary>Width of the embedding tables: <see cref="EmbeddingSize"/> when set, else <see cref="HiddenSize"/>.</summary>
    public int EmbeddingWidth => EmbeddingSize ?? HiddenSize;

    /// <summary>True when the embeddings are projected to the hidden width (ELECTRA with <c>embedding_size != hidden_size</c>).</summary>
    public bool HasEmbeddingProjection => EmbeddingWidth != HiddenSize;

    /// <summary>True when the model reads <c>token_type_ids</c> (BERT and ELECTRA; DistilBERT has no token types).</summary>
    public bool HasTokenTypes => Family != ModelFamily.DistilBert;

    /// <summary>Hugging Face's prefix of the encoder's tensors: <c>bert</c>, <c>distilbert</c> or <c>electra</c>.</summary>
    public string BaseModelPrefix => Family switch
    {
        ModelFamily.Bert => "bert",
        ModelFamily.DistilBert => "distilbert",
        ModelFamily.Electra => "electra",
        var f => throw new ArgumentOutOfRangeException(nameof(Family), f, "unknown model family"),
    };

    /// <summary>Hugging Face's question-answering class of the family (<c>architectures</c> in config.json).</summary>
    public string QaArchitecture => Family switch
    {
        ModelFamily.Bert => "BertForQuestionAnswering",
        ModelFamily.DistilBert => "DistilBertForQuestionAnswering",
        ModelFamily.Electra => "ElectraForQuestionAnswering",
        var f => throw new ArgumentOutOfRangeException(nameof(Family), f, "unknown model family"),
    };

    /// <summary>bert-base-uncased: 12 layers, 768 wide, 12 heads, 3072 feed-forward.</summary>
    public static BertConfig BertBase { get; } = new();

    /// <summary>distilbert-base-uncased: 6 layers, 768 wide, 12 heads, 3072 feed-forward, no token types.</summary>
    public static BertConfig DistilBertBase { get; } = new() { Family = ModelFamily.DistilBert, NumLayers = 6, TypeVocabSize = 0 };

    /// <summary>Largest vocabulary <see cref="Validate"/> accepts (the largest WordPiece vocabularies in use have about 250,000 entries).</summary>
    public const int MaxVocabSize = 4_000_000;

    /// <summary>Largest <see cref="MaxPositionEmbeddings"/> <see cref="Validate"/> accepts.</summary>
    public const int MaxPositions = 1 << 20;

    /// <summary>Largest model <see cref="Validate"/> accepts: 10 billion parameters (40 GB of float32).</summary>
    public const long MaxParameters = 10_000_000_000;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first field that is out of range or unsupported.</summary>
    public BertConfig Validate()
    {
        static void Require(bool ok, string key, object value, string why)
        {
            if (!ok) throw new ArgumentException($"Invalid model configuration: {key} = {value}: {why}.", key);
        }
        string Key(string bert, string distil) => Family == ModelFamily.DistilBert ? distil : bert;
        Require(Enum.IsDefined(Family), "model_type", Family, "unknown model family");
        Require(Family == ModelFamily.Electra ? EmbeddingSize is > 0 : EmbeddingSize is null || EmbeddingSize == HiddenSize, "embedding_size", EmbeddingSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null",
            Family == ModelFamily.Electra ? "must be positive" : "only ELECTRA has an embedding width of its own");
        Require(EmbeddingSize is null or <= 65536, "embedding_size", EmbeddingWidth, "must be at most 65,536");
        Require(VocabSize > 0, "vocab_size", VocabSize, "must be positive");
        Require(HiddenSize > 0, Key("hidden_size", "dim"), HiddenSize, "must be positive");
        Require(NumLayers > 0, Key("num_hidden_layers", "n_layers"), NumLayers, "must be positive");
        Require(NumHeads > 0, Key("num_attention_heads", "n_heads"), NumHeads, "must be positive");
        Require(HiddenSize % NumHeads == 0, Key("num_attention_heads", "n_heads"), NumHeads, $"must divide the hidden size {HiddenSize}");
        Require(IntermediateSize > 0, Key("intermediate_size", "hidden_dim"), IntermediateSize, "must be positive");
        Require(HiddenAct == "gelu", Key("hidden_act", "activation"), HiddenAct, "only \"gelu\" (exact, erf form) is supported");
        Require(HiddenDropout is >= 0 and < 1, Key("hidden_dropout_prob", "dropout"), HiddenDropout, "must be in [0, 1)");
        Require(AttentionDropout is >= 0 and < 1, Key("attention_probs_dropout_prob", "attention_dropout"), AttentionDropout, "must be in [0, 1)");
        Require(QaDropout is >= 0 and < 1, "qa_dropout", QaDropout, "must be in [0, 1)");
        Require(MaxPositionEmbeddings > 0, "max_position_embeddings", MaxPositionEmbeddings, "must be positive");
        Require(HasTokenTypes ? TypeVocabSize > 0 : TypeVocabSize == 0, "type_vocab_size", TypeVocabSize,
            Family == ModelFamily.DistilBert ? "DistilBERT has no token types" : "must be positive");
        Require(LayerNormEps > 0, "layer_norm_eps", LayerNormEps, "must be positive");
        Require(PadTokenId >= 0 && PadTokenId < VocabSize, "pad_token_id", PadTokenId, $"must be a token id below vocab_size {VocabSize}");
        Require(InitializerRange > 0, "initializer_range", InitializerRange, "must be positive");
        // Bounds before any allocation: a corrupt or hostile config.json would otherwise make libtorch try to allocate
        // hundreds of gigabytes (vocab_size 2e9 x 384 floats) and die far from the cause.
        Require(VocabSize <= MaxVocabSize, "vocab_size", VocabSize, $"is beyond any WordPiece vocabulary (at most {MaxVocabSize:N0})");
        Require(MaxPositionEmbeddings <= MaxPositions, "max_position_embeddings", MaxPositionEmbeddings, $"must be at most {MaxPositions:N0}");
        Require(TypeVocabSize <= 1024, "type_vocab_size", TypeVocabSize, "must be at most 1,024");
        Require(NumLayers <= 1024, Key("num_hidden_layers", "n_layers"), NumLayers, "must be at most 1,024");
        Require(HiddenSize <= 65536, Key("hidden_size", "dim"), HiddenSize, "must be at most 65,536");
        Require(IntermediateSize <= 1 << 20, Key("intermediate_size", "hidden_dim"), IntermediateSize, "must be at most 1,048,576");
        long parameters = CountQaParameters();
        Require(parameters <= MaxParameters, Key("hidden_size", "dim"), HiddenSize,
            $"the model would have {parameters:N0} parameters ({parameters * 4.0 / (1L << 30):F0} GiB as float32), more than the {MaxParameters:N0} this library loads");
        return this;
    }

    /// <summary>
    /// Number of parameters of the question-answering model with this architecture (no pooler, as Hugging Face's
    /// QA models have none), computed from the shapes alone.
    /// </summary>
    public long CountQaParameters()
    {
        long h = HiddenSize, f = IntermediateSize, e = EmbeddingWidth;
        long embeddings = (long)VocabSize * e + (long)MaxPositionEmbeddings * e + (long)TypeVocabSize * e + 2 * e;
        long projection = HasEmbeddingProjection ? e * h + h : 0;
        long attention = 4 * (h * h + h) + 2 * h;            // q, k, v, out projections + LayerNorm
        long feedForward = (h * f + f) + (f * h + h) + 2 * h; // two projections + LayerNorm
        long head = 2 * h + 2;
        return embeddings + projection + NumLayers * (attention + feedForward) + head;
    }
}
