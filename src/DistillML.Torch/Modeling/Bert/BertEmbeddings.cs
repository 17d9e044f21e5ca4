using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DistillML.Torch.Modeling.Bert;

/// <summary>
/// Word + position + token type embeddings, then LayerNorm and dropout (Hugging Face <c>BertEmbeddings</c>; ELECTRA's
/// <c>ElectraEmbeddings</c> is the same at <see cref="BertConfig.EmbeddingWidth"/>).
/// </summary>
public sealed class BertEmbeddings : nn.Module<Tensor, Tensor?, Tensor>
{
#pragma warning disable IDE1006 // field names are Hugging Face's tensor names
    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly Embedding token_type_embeddings;
    private readonly LayerNorm LayerNorm;
    private readonly FastDropout dropout;
#pragma warning restore IDE1006

    /// <summary>Creates the embeddings for <paramref name="config"/>.</summary>
    public BertEmbeddings(BertConfig config) : base(nameof(BertEmbeddings))
    {
        int width = config.EmbeddingWidth;
        word_embeddings = nn.Embedding(config.VocabSize, width, padding_idx: config.PadTokenId);
        position_embeddings = nn.Embedding(config.MaxPositionEmbeddings, width);
        token_type_embeddings = nn.Embedding(config.TypeVocabSize, width);
        LayerNorm = nn.LayerNorm(width, eps: config.LayerNormEps);
        dropout = new FastDropout(config.HiddenDropout);
        RegisterComponents();
    }

    /// <summary>The word embedding matrix [vocab, embedding width] (tied to the MLM decoder during pretraining).</summary>
    public Parameter WordEmbeddings => word_embeddings.weight!;

    /// <summary>Embeds [batch, seq] token ids; token types default to 0.</summary>
    public override Tensor forward(Tensor inputIds, Tensor? tokenTypeIds)
    {
        long seq = inputIds.shape[1];
        var positions = arange(seq, dtype: ScalarType.Int64, device: inputIds.device).unsqueeze(0);
        tokenTypeIds ??= zeros_like(inputIds);
        var sum = word_embeddings.call(inputIds).Plus(position_embeddings.call(positions)).Plus(token_type_embeddings.call(tokenTypeIds));
        return dropout.call(LayerNorm.call(sum));
    }
}
