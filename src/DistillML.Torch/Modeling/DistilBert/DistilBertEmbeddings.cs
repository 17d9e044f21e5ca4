using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DistillML.Torch.Modeling.DistilBert;

/// <summary>Word + position embeddings, LayerNorm and dropout (Hugging Face DistilBERT <c>Embeddings</c>; no token types).</summary>
public sealed class DistilBertEmbeddings : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly LayerNorm LayerNorm;
    private readonly FastDropout dropout;
#pragma warning restore IDE1006

    /// <summary>Creates the embeddings for <paramref name="config"/>.</summary>
    public DistilBertEmbeddings(BertConfig config) : base(nameof(DistilBertEmbeddings))
    {
        word_embeddings = nn.Embedding(config.VocabSize, config.HiddenSize, padding_idx: config.PadTokenId);
        position_embeddings = nn.Embedding(config.MaxPositionEmbeddings, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize, eps: config.LayerNormEps);
        dropout = new FastDropout(config.HiddenDropout);
        RegisterComponents();
    }

    /// <summary>The word embedding matrix [vocab, hidden].</summary>
    public Parameter WordEmbeddings => word_embeddings.weight!;

    /// <summary>Embeds [batch, seq] token ids.</summary>
    public override Tensor forward(Tensor inputIds)
    {
        var positions = arange(inputIds.shape[1], dtype: ScalarType.Int64, device: inputIds.device).unsqueeze(0);
        return dropout.call(LayerNorm.call(word_embeddings.call(inputIds).Plus(position_embeddings.call(positions))));
    }
}
