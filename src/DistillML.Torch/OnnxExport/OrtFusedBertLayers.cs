using DistillML.Torch.Modeling;
using DataType = DistillML.Torch.OnnxExport.Proto.TensorProto.Types.DataType;
using static DistillML.Torch.OnnxExport.OnnxGraphBuilder;

namespace DistillML.Torch.OnnxExport;

/// <summary>
/// The BERT computation in ONNX Runtime's fused transformer operators (com.microsoft), the graph
/// <c>onnxruntime.transformers.optimizer</c> makes of a plain export: <c>EmbedLayerNormalization</c>, then per layer
/// <c>Attention</c> (or <c>QAttention</c>), the output projection into <c>SkipLayerNormalization</c> (bias + residual +
/// LayerNorm in one kernel), the feed-forward as MatMul + <c>BiasGelu</c> (exact erf GELU) and MatMul +
/// <c>SkipLayerNormalization</c>. ORT's own session optimizer does not find these fusions in our portable graph
/// (measured: at ORT_ENABLE_ALL it fuses only four MatMuls), so the exporter writes them.
/// </summary>
internal static class OrtFusedBertLayers
{
    /// <summary>
    /// Word + position (+ token type) embeddings and their LayerNorm as one <c>EmbedLayerNormalization</c>; null when the
    /// word table is int8 (the fused op reads float tables), and the caller builds the portable embeddings instead.
    /// </summary>
    public static string? Embeddings(OnnxGraphBuilder g, WeightEmitter w, BertConfig config)
    {
        if (w.Int8Embeddings) return null;
        string p = LayerTensorNames.Embeddings(config);
        int h = config.EmbeddingWidth;
        bool bert = config.HasTokenTypes;
        string ids = g.Node("Cast", [BertOnnxGraph.InputIds], Attr("to", (long)DataType.Int32));
        string types = bert ? g.Node("Cast", [BertOnnxGraph.TokenTypeIds], Attr("to", (long)DataType.Int32)) : "";
        string typeTable = bert ? w.Float($"{p}.token_type_embeddings.weight", config.TypeVocabSize, h) : "";
        // Positions default to 0..seq-1, as the portable graph's slice of the position table. The op's schema has a
        // second output (mask_index, a right-padding length per row) that the layers do not use: they take the raw mask.
        return g.Contrib("EmbedLayerNormalization",
            [ids, types, w.Float($"{p}.word_embeddings.weight", config.VocabSize, h), w.Float($"{p}.position_embeddings.weight", config.MaxPositionEmbeddings, h),
             typeTable, w.Float($"{p}.LayerNorm.weight", h), w.Float($"{p}.LayerNorm.bias", h)],
            2, Attr("epsilon", (float)config.LayerNormEps))[0];
    }

    /// <summary>One transformer layer; <paramref name="mask"/> is the int32 [batch, sequence] attention mask.</summary>
    public static string Layer(OnnxGraphBuilder g, WeightEmitter w, BertConfig config, LayerTensorNames n, string x, string mask)
    {
        int h = config.HiddenSize, f = config.IntermediateSize;
        string context = w.Attention(x, mask, n, h, config.NumHeads);
        var (projected, projectionBias) = w.MatMulWithoutBias(context, n.AttentionOutput, h, h);
        string attended = SkipLayerNorm(g, w, projected, x, projectionBias, n.AttentionNorm, config);
        var (inner, innerBias) = w.MatMulWithoutBias(attended, n.FeedForwardIn, h, f);
        var (output, outputBias) = w.MatMulWithoutBias(g.Contrib("BiasGelu", [inner, innerBias]), n.FeedForwardOut, f, h);
        return SkipLayerNorm(g, w, output, attended, outputBias, n.OutputNorm, config);
    }

    // LayerNorm(input + bias + skip), as one SkipLayerNormalization (inputs: input, skip, gamma, beta, bias).
    private static string SkipLayerNorm(OnnxGraphBuilder g, WeightEmitter w, string input, string skip, string bias, string normPrefix, BertConfig config) =>
        g.Contrib("SkipLayerNormalization",
            [input, skip, w.Float($"{normPrefix}.weight", config.HiddenSize), w.Float($"{normPrefix}.bias", config.HiddenSize), bias],
            Attr("epsilon", (float)config.LayerNormEps));
}
