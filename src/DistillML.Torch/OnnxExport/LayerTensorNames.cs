using DistillML.Torch.Modeling;

namespace DistillML.Torch.OnnxExport;

/// <summary>Hugging Face tensor-name prefixes of one family's embeddings and transformer layers.</summary>
internal sealed record LayerTensorNames(
    string Query, string Key, string Value, string AttentionOutput, string AttentionNorm,
    string FeedForwardIn, string FeedForwardOut, string OutputNorm)
{
    /// <summary>Prefix of the embeddings (<c>bert.embeddings</c> / <c>distilbert.embeddings</c> / <c>electra.embeddings</c>).</summary>
    public static string Embeddings(BertConfig config) => config.BaseModelPrefix + ".embeddings";

    /// <summary>ELECTRA's projection of the embeddings to the hidden width (<c>electra.embeddings_project</c>).</summary>
    public static string EmbeddingsProjection(BertConfig config) => config.BaseModelPrefix + ".embeddings_project";

    /// <summary>The names of layer <paramref name="index"/>.</summary>
    public static LayerTensorNames For(BertConfig config, int index)
    {
        if (config.Family != ModelFamily.DistilBert) // ELECTRA's layers are BERT's
        {
            string p = $"{config.BaseModelPrefix}.encoder.layer.{index}";
            return new($"{p}.attention.self.query", $"{p}.attention.self.key", $"{p}.attention.self.value",
                $"{p}.attention.output.dense", $"{p}.attention.output.LayerNorm",
                $"{p}.intermediate.dense", $"{p}.output.dense", $"{p}.output.LayerNorm");
        }
        string d = $"distilbert.transformer.layer.{index}";
        return new($"{d}.attention.q_lin", $"{d}.attention.k_lin", $"{d}.attention.v_lin",
            $"{d}.attention.out_lin", $"{d}.sa_layer_norm", $"{d}.ffn.lin1", $"{d}.ffn.lin2", $"{d}.output_layer_norm");
    }
}
