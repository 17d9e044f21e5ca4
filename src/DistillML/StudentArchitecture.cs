using DistillML.Torch.Modeling;

namespace DistillML;

/// <summary>
/// The student's shape; its vocabulary is the teacher's. Defaults follow DistilBERT's recipe of dropout 0.1.
/// </summary>
/// <param name="Layers">Transformer layers.</param>
/// <param name="Hidden">Hidden width (must be a multiple of <paramref name="Heads"/>).</param>
/// <param name="Heads">Attention heads.</param>
/// <param name="Intermediate">Feed-forward width.</param>
/// <param name="Dropout">Dropout on embeddings and sub-layer outputs.</param>
/// <param name="AttentionDropout">Dropout on attention probabilities.</param>
/// <param name="MaxPositions">Longest sequence the position embeddings cover.</param>
/// <param name="Family">DistilBERT (no token types, as DistilBERT students are), BERT, or ELECTRA (factorised embeddings, see <paramref name="EmbeddingSize"/>).</param>
/// <param name="EmbeddingSize">
/// ELECTRA only: the width of the embedding tables, projected to <paramref name="Hidden"/> (null: <paramref name="Hidden"/>).
/// The 30,522-row word table is most of a small student's parameters; at 128 wide it is a third of a 384-wide one.
/// </param>
public sealed record StudentArchitecture(
    int Layers = 4, int Hidden = 384, int Heads = 6, int Intermediate = 1536, double Dropout = 0.1, double AttentionDropout = 0.1,
    int MaxPositions = 512, ModelFamily Family = ModelFamily.DistilBert, int? EmbeddingSize = null)
{
    /// <summary>
    /// A student of <paramref name="family"/>, or, when <paramref name="embeddingSize"/> is below <paramref name="hidden"/>,
    /// an ELECTRA student with embeddings that wide (the only family with a width of its own for them).
    /// </summary>
    public static StudentArchitecture WithEmbeddings(int layers, int hidden, int heads, int intermediate, double dropout, double attentionDropout,
        int maxPositions, int? embeddingSize, ModelFamily family = ModelFamily.DistilBert) =>
        embeddingSize is { } e && e < hidden
            ? new(layers, hidden, heads, intermediate, dropout, attentionDropout, maxPositions, ModelFamily.Electra, e)
            : new(layers, hidden, heads, intermediate, dropout, attentionDropout, maxPositions, family);

    /// <summary>A short description: "L4 H384 A6 I1536", with " E128" for factorised embeddings.</summary>
    public string Shape => $"L{Layers} H{Hidden} A{Heads} I{Intermediate}" + (Family == ModelFamily.Electra && (EmbeddingSize ?? Hidden) != Hidden ? $" E{EmbeddingSize}" : "");

    /// <summary>The model configuration for a teacher's vocabulary (validated; errors name the Hugging Face key).</summary>
    public BertConfig ToConfig(BertConfig teacher) => new BertConfig
    {
        Family = Family, VocabSize = teacher.VocabSize, PadTokenId = teacher.PadTokenId, NumLayers = Layers, HiddenSize = Hidden, NumHeads = Heads,
        IntermediateSize = Intermediate, HiddenDropout = Dropout, AttentionDropout = AttentionDropout, QaDropout = Dropout,
        MaxPositionEmbeddings = MaxPositions, TypeVocabSize = Family == ModelFamily.DistilBert ? 0 : 2, LayerNormEps = 1e-12,
        EmbeddingSize = Family == ModelFamily.Electra ? EmbeddingSize ?? Hidden : EmbeddingSize,
        InitializerRange = teacher.InitializerRange,
    }.Validate();
}
