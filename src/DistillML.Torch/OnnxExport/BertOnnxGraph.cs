using DistillML.Torch.Modeling;
using DataType = DistillML.Torch.OnnxExport.Proto.TensorProto.Types.DataType;
using static DistillML.Torch.OnnxExport.OnnxGraphBuilder;

namespace DistillML.Torch.OnnxExport;

/// <summary>
/// Writes the computation of <see cref="BertQaModel"/> (eval mode: dropout is the identity) as ONNX nodes, the same
/// operations in the same order as the TorchSharp modules: embeddings + LayerNorm (then ELECTRA's projection), then per layer scaled dot-product
/// attention under the additive mask bias <c>(1 - mask) · float.MinValue</c>, residual + LayerNorm, exact (erf) GELU
/// feed-forward, residual + LayerNorm, then the span head split into start and end logits.
/// </summary>
internal static class BertOnnxGraph
{
    public const string InputIds = "input_ids", AttentionMask = "attention_mask", TokenTypeIds = "token_type_ids";
    public const string StartLogits = "start_logits", EndLogits = "end_logits";
    public const string Batch = "batch", Sequence = "sequence";

    /// <summary>
    /// Builds the graph; with <paramref name="ortFused"/> the embeddings, attention, residual LayerNorms and GELU are
    /// ONNX Runtime's fused contrib operators (<see cref="OrtFusedBertLayers"/>), the same computation.
    /// </summary>
    public static void Build(OnnxGraphBuilder g, WeightEmitter w, BertConfig config, bool ortFused = false)
    {
        bool tokenTypes = config.HasTokenTypes;
        int h = config.HiddenSize;
        g.Input(InputIds, DataType.Int64, Batch, Sequence);
        g.Input(AttentionMask, DataType.Int64, Batch, Sequence);
        if (tokenTypes) g.Input(TokenTypeIds, DataType.Int64, Batch, Sequence);

        string hidden;
        if (ortFused)
        {
            hidden = Projected(w, config, OrtFusedBertLayers.Embeddings(g, w, config) ?? Embeddings(g, w, config));
            string mask = g.Node("Cast", [AttentionMask], Attr("to", (long)DataType.Int32)); // Attention's raw 1/0 mask
            for (int i = 0; i < config.NumLayers; i++)
                hidden = OrtFusedBertLayers.Layer(g, w, config, LayerTensorNames.For(config, i), hidden, mask);
        }
        else
        {
            hidden = Projected(w, config, Embeddings(g, w, config));
            string bias = MaskBias(g);
            for (int i = 0; i < config.NumLayers; i++)
                hidden = Layer(g, w, config, LayerTensorNames.For(config, i), hidden, bias);
        }

        string logits = w.Linear(hidden, "qa_outputs", h, 2, quantizable: false); // [batch, seq, 2]
        g.Node("Gather", [logits, g.Int64("qa.start_index", [0])], Attr("axis", 2L));
        g.RenameLastOutput(StartLogits);
        g.Node("Gather", [logits, g.Int64("qa.end_index", [1])], Attr("axis", 2L));
        g.RenameLastOutput(EndLogits);
        g.Output(StartLogits, DataType.Float, Batch, Sequence);
        g.Output(EndLogits, DataType.Float, Batch, Sequence);
    }

    // ELECTRA's embeddings_project, kept float32 (it is small, and it feeds every layer).
    private static string Projected(WeightEmitter w, BertConfig config, string embedded) => config.HasEmbeddingProjection
        ? w.Linear(embedded, LayerTensorNames.EmbeddingsProjection(config), config.EmbeddingWidth, config.HiddenSize, quantizable: false)
        : embedded;

    private static string Embeddings(OnnxGraphBuilder g, WeightEmitter w, BertConfig config)
    {
        string p = LayerTensorNames.Embeddings(config);
        int h = config.EmbeddingWidth;
        string sum = w.Embedding(InputIds, $"{p}.word_embeddings.weight", config.VocabSize, h, quantizable: true);
        // Positions 0..seq-1: the first seq rows of the position table, broadcast over the batch.
        string seqLength = g.Node("Shape", [InputIds], Attr("start", 1L), Attr("end", 2L));
        string positions = g.Node("Slice", [w.Float($"{p}.position_embeddings.weight", config.MaxPositionEmbeddings, h),
            g.Int64s("embeddings.slice_start", 0), seqLength, g.Int64s("embeddings.slice_axis", 0)]);
        sum = g.Node("Add", [sum, positions]);
        if (config.HasTokenTypes)
            sum = g.Node("Add", [sum, w.Embedding(TokenTypeIds, $"{p}.token_type_embeddings.weight", config.TypeVocabSize, h, quantizable: false)]);
        return LayerNorm(g, w, sum, $"{p}.LayerNorm", config, h);
    }

    /// <summary>[batch, 1, 1, seq]: 0 where attended, float.MinValue where padded (AttentionMath.MaskBias).</summary>
    private static string MaskBias(OnnxGraphBuilder g)
    {
        string keep = g.Node("Cast", [AttentionMask], Attr("to", (long)DataType.Float));
        string masked = g.Node("Sub", [g.Float("mask.one", [1f]), keep]);
        string bias = g.Node("Mul", [masked, g.Float("mask.lowest", [float.MinValue])]);
        return g.Node("Unsqueeze", [bias, g.Int64s("mask.unsqueeze_axes", 1, 2)]);
    }

    private static string Layer(OnnxGraphBuilder g, WeightEmitter w, BertConfig config, LayerTensorNames n, string x, string maskBias)
    {
        int h = config.HiddenSize, heads = config.NumHeads, d = config.HeadSize, f = config.IntermediateSize;
        string splitShape = g.Int64s($"{n.Query}.split_shape", 0, 0, heads, d);
        string Heads(string t, long[] perm) => g.Node("Transpose", [g.Node("Reshape", [t, splitShape])], Attr("perm", perm));
        string q = Heads(w.Linear(x, n.Query, h, h), [0, 2, 1, 3]);       // [b, heads, s, d]
        string kT = Heads(w.Linear(x, n.Key, h, h), [0, 2, 3, 1]);       // [b, heads, d, s]
        string v = Heads(w.Linear(x, n.Value, h, h), [0, 2, 1, 3]);
        string scores = g.Node("Mul", [g.Node("MatMul", [q, kT]), g.Float($"{n.Query}.scale", [(float)(1.0 / Math.Sqrt(d))])]);
        string probabilities = g.Node("Softmax", [g.Node("Add", [scores, maskBias])], Attr("axis", -1L));
        string context = g.Node("Transpose", [g.Node("MatMul", [probabilities, v])], Attr("perm", new long[] { 0, 2, 1, 3 }));
        context = g.Node("Reshape", [context, g.Int64s($"{n.Query}.merge_shape", 0, 0, h)]);
        string attended = LayerNorm(g, w, g.Node("Add", [w.Linear(context, n.AttentionOutput, h, h), x]), n.AttentionNorm, config);

        string inner = Gelu(g, w.Linear(attended, n.FeedForwardIn, h, f));
        return LayerNorm(g, w, g.Node("Add", [w.Linear(inner, n.FeedForwardOut, f, h), attended]), n.OutputNorm, config);
    }

    /// <summary>Exact GELU, 0.5 · x · (1 + erf(x / √2)), as torch's default <c>gelu</c>.</summary>
    private static string Gelu(OnnxGraphBuilder g, string x)
    {
        string erf = g.Node("Erf", [g.Node("Mul", [x, g.SharedFloat("gelu.inv_sqrt2", (float)(1.0 / Math.Sqrt(2.0)))])]);
        string onePlus = g.Node("Add", [erf, g.SharedFloat("gelu.one", 1f)]);
        return g.Node("Mul", [g.Node("Mul", [x, onePlus]), g.SharedFloat("gelu.half", 0.5f)]);
    }

    private static string LayerNorm(OnnxGraphBuilder g, WeightEmitter w, string x, string prefix, BertConfig config, int? width = null) =>
        g.Node("LayerNormalization", [x, w.Float($"{prefix}.weight", width ?? config.HiddenSize), w.Float($"{prefix}.bias", width ?? config.HiddenSize)],
            Attr("axis", -1L), Attr("epsilon", (float)config.LayerNormEps));
}
