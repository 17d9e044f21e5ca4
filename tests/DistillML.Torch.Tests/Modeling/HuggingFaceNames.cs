using DistillML.Torch.Modeling;

namespace DistillML.Torch.Tests.Modeling;

/// <summary>
/// The state_dict keys transformers' BertForQuestionAnswering / DistilBertForQuestionAnswering /
/// ElectraForQuestionAnswering have, written out independently (ELECTRA: BERT's under <c>electra.</c>, plus
/// <c>electra.embeddings_project</c> when embedding_size != hidden_size; no pooler in any).
/// </summary>
internal static class HuggingFaceNames
{
    public static IEnumerable<string> For(BertConfig c) => c.Family switch
    {
        ModelFamily.Bert => Bert("bert", c.NumLayers, projected: false),
        ModelFamily.Electra => Bert("electra", c.NumLayers, projected: c.EmbeddingSize != c.HiddenSize),
        _ => DistilBert(c.NumLayers),
    };

    static IEnumerable<string> Bert(string prefix, int layers, bool projected)
    {
        foreach (var e in new[] { "word_embeddings.weight", "position_embeddings.weight", "token_type_embeddings.weight", "LayerNorm.weight", "LayerNorm.bias" })
            yield return prefix + ".embeddings." + e;
        if (projected)
        {
            yield return prefix + ".embeddings_project.weight";
            yield return prefix + ".embeddings_project.bias";
        }
        for (int i = 0; i < layers; i++)
        {
            string p = $"{prefix}.encoder.layer.{i}.";
            foreach (var m in new[] { "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense", "attention.output.LayerNorm", "intermediate.dense", "output.dense", "output.LayerNorm" })
            {
                yield return p + m + ".weight";
                yield return p + m + ".bias";
            }
        }
        yield return "qa_outputs.weight";
        yield return "qa_outputs.bias";
    }

    static IEnumerable<string> DistilBert(int layers)
    {
        foreach (var e in new[] { "word_embeddings.weight", "position_embeddings.weight", "LayerNorm.weight", "LayerNorm.bias" })
            yield return "distilbert.embeddings." + e;
        for (int i = 0; i < layers; i++)
        {
            string p = $"distilbert.transformer.layer.{i}.";
            foreach (var m in new[] { "attention.q_lin", "attention.k_lin", "attention.v_lin", "attention.out_lin", "sa_layer_norm", "ffn.lin1", "ffn.lin2", "output_layer_norm" })
            {
                yield return p + m + ".weight";
                yield return p + m + ".bias";
            }
        }
        yield return "qa_outputs.weight";
        yield return "qa_outputs.bias";
    }
}
