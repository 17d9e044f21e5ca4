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
/// <param name="Family">DistilBERT (no token types, as DistilBERT students are) or BERT.</param>
public sealed record StudentArchitecture(
    int Layers = 4, int Hidden = 384, int Heads = 6, int Intermediate = 1536, double Dropout = 0.1, double AttentionDropout = 0.1,
    int MaxPositions = 512, ModelFamily Family = ModelFamily.DistilBert)
{
    /// <summary>The model configuration for a teacher's vocabulary (validated; errors name the Hugging Face key).</summary>
    public BertConfig ToConfig(BertConfig teacher) => new BertConfig
    {
        Family = Family, VocabSize = teacher.VocabSize, PadTokenId = teacher.PadTokenId, NumLayers = Layers, HiddenSize = Hidden, NumHeads = Heads,
        IntermediateSize = Intermediate, HiddenDropout = Dropout, AttentionDropout = AttentionDropout, QaDropout = Dropout,
        MaxPositionEmbeddings = MaxPositions, TypeVocabSize = Family == ModelFamily.Bert ? 2 : 0, LayerNormEps = 1e-12,
        InitializerRange = teacher.InitializerRange,
    }.Validate();
}
