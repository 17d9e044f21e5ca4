using DistillML.Torch.OnnxExport.Proto;
using DataType = DistillML.Torch.OnnxExport.Proto.TensorProto.Types.DataType;
using static DistillML.Torch.OnnxExport.OnnxGraphBuilder;

namespace DistillML.Torch.OnnxExport;

/// <summary>
/// Emits weights, linear layers and embedding lookups in the chosen <see cref="OnnxWeightFormat"/>; the graph code
/// above it is the same for every format.
/// </summary>
internal sealed class WeightEmitter(OnnxGraphBuilder graph, WeightTable weights, OnnxWeightFormat format, bool quantizeEmbeddings, bool reduceRange,
    IReadOnlySet<string>? float32Layers = null)
{
    private readonly int qmax = reduceRange ? 63 : 127;

    /// <summary>A float32-valued weight: stored as float32, or as float16 followed by a Cast to float32.</summary>
    public string Float(string name, float[] values, params long[] dims)
    {
        if (format != OnnxWeightFormat.Float16) return graph.Float(name, values, dims);
        var half = new Half[values.Length];
        for (int i = 0; i < values.Length; i++) half[i] = (Half)values[i];
        graph.Initializer(name, DataType.Float16, dims, half.AsSpan());
        return graph.Node("Cast", [name], Attr("to", (long)DataType.Float));
    }

    /// <summary>A Hugging Face tensor by name, as a float32-valued weight.</summary>
    public string Float(string name, params long[] dims) => Float(name, weights.Get(name, dims), dims);

    /// <summary>
    /// <c>x · Wᵀ + b</c> for the torch Linear <paramref name="prefix"/> (<c>.weight</c> [out, in], <c>.bias</c> [out]);
    /// <paramref name="quantizable"/> layers not kept float32 become int8 dynamic quantisation in <see cref="OnnxWeightFormat.Int8"/>.
    /// </summary>
    public string Linear(string x, string prefix, int inFeatures, int outFeatures, bool quantizable = true)
    {
        float[] w = weights.Get(prefix + ".weight", outFeatures, inFeatures);
        string bias = Float(prefix + ".bias", outFeatures);
        var transposed = Transpose(w, outFeatures, inFeatures); // [in, out], what MatMul multiplies by
        if (!IsInt8(prefix, quantizable))
        {
            string weight = Float(prefix + ".weight.transposed", transposed, inFeatures, outFeatures);
            return graph.Node("Add", [graph.Node("MatMul", [x, weight]), bias]);
        }

        var (qWeight, wScale, wZero) = Int8Columns(prefix + ".weight.transposed", transposed, inFeatures, outFeatures);
        var xq = graph.Node("DynamicQuantizeLinear", [x], 3);
        string product = graph.Node("MatMulInteger", [xq[0], qWeight, xq[2], wZero]);
        string asFloat = graph.Node("Cast", [product], Attr("to", (long)DataType.Float));
        string scale = graph.Node("Mul", [xq[1], wScale]);
        return graph.Node("Add", [graph.Node("Mul", [asFloat, scale]), bias]);
    }

    /// <summary>True when the Linear <paramref name="prefix"/> is stored int8 (int8 format, quantizable, not kept float32).</summary>
    public bool IsInt8(string prefix, bool quantizable = true) =>
        format == OnnxWeightFormat.Int8 && quantizable && float32Layers?.Contains(prefix) != true;

    /// <summary>True when the word embeddings are stored int8 (then they are gathered and rescaled, not fused).</summary>
    public bool Int8Embeddings => format == OnnxWeightFormat.Int8 && quantizeEmbeddings;

    /// <summary>
    /// <c>x · Wᵀ</c> without the bias, for a fused operator that adds it (SkipLayerNormalization, BiasGelu); returns the
    /// product and the bias. int8 layers become ONNX Runtime's <c>DynamicQuantizeMatMul</c> (what its optimizer fuses the
    /// portable DynamicQuantizeLinear + MatMulInteger + rescale pattern into).
    /// </summary>
    public (string Product, string Bias) MatMulWithoutBias(string x, string prefix, int inFeatures, int outFeatures)
    {
        var transposed = Transpose(weights.Get(prefix + ".weight", outFeatures, inFeatures), outFeatures, inFeatures);
        string bias = Float(prefix + ".bias", outFeatures);
        if (!IsInt8(prefix)) return (graph.Node("MatMul", [x, Float(prefix + ".weight.transposed", transposed, inFeatures, outFeatures)]), bias);
        var (qWeight, wScale, wZero) = Int8Columns(prefix + ".weight.transposed", transposed, inFeatures, outFeatures);
        return (graph.Contrib("DynamicQuantizeMatMul", [x, qWeight, wScale, wZero]), bias);
    }

    /// <summary>
    /// Self-attention of one layer as ONNX Runtime's fused <c>Attention</c> (float) or <c>QAttention</c> (int8, the input
    /// quantised per tensor at run time, weights per column): query, key and value weights packed into one [h, 3h]
    /// matrix (columns q | k | v, heads contiguous within each, as Hugging Face splits them) and a [3h] bias.
    /// <paramref name="maskIndex"/> is the int32 [batch, sequence] 1/0 mask. Returns the context [batch, seq, h], before
    /// the output projection.
    /// </summary>
    /// <exception cref="ArgumentException">Some but not all of q, k, v are kept float32 (they are one matrix here).</exception>
    public string Attention(string x, string maskIndex, LayerTensorNames n, int hidden, int heads)
    {
        string[] parts = [n.Query, n.Key, n.Value];
        var packed = new float[hidden * 3 * hidden];
        var bias = new float[3 * hidden];
        for (int k = 0; k < 3; k++)
        {
            var t = Transpose(weights.Get(parts[k] + ".weight", hidden, hidden), hidden, hidden); // [in, out]
            for (int r = 0; r < hidden; r++) Array.Copy(t, r * hidden, packed, r * 3 * hidden + k * hidden, hidden);
            Array.Copy(weights.Get(parts[k] + ".bias", hidden), 0, bias, k * hidden, hidden);
        }
        int int8Parts = parts.Count(p => IsInt8(p));
        if (int8Parts is not (0 or 3))
            throw new ArgumentException($"With ONNX Runtime's fused operators the query, key and value of a layer are one matrix: keep all of {n.Query}, {n.Key}, {n.Value} float32 or none.");
        string prefix = n.Query[..n.Query.LastIndexOf('.')] + ".qkv";
        string packedBias = Float(prefix + ".bias", bias, 3 * hidden);
        var numHeads = Attr("num_heads", (long)heads);
        if (int8Parts == 0)
            return graph.Contrib("Attention", [x, Float(prefix + ".weight.transposed", packed, hidden, 3 * hidden), packedBias, maskIndex], numHeads);
        var (qWeight, wScale, wZero) = Int8Columns(prefix + ".weight.transposed", packed, hidden, 3 * hidden);
        var xq = graph.Node("DynamicQuantizeLinear", [x], 3); // uint8 input, its scale and zero point
        return graph.Contrib("QAttention", [xq[0], qWeight, packedBias, xq[1], wScale, maskIndex, xq[2], wZero], numHeads);
    }

    // int8 weights [rows, cols] with one symmetric scale per column, and their all-zero zero points.
    private (string Weight, string Scale, string ZeroPoint) Int8Columns(string name, float[] w, int rows, int cols)
    {
        var (q, scales) = QuantizeColumns(w, rows, cols);
        string qWeight = graph.Initializer(name + ".int8", DataType.Int8, [rows, cols], q.AsSpan());
        string wScale = graph.Float(name.Replace(".transposed", "", StringComparison.Ordinal) + ".scale", scales, cols);
        string wZero = graph.Initializer(name.Replace(".transposed", "", StringComparison.Ordinal) + ".zero_point", DataType.Int8, [cols], new sbyte[cols].AsSpan());
        return (qWeight, wScale, wZero);
    }

    /// <summary>Looks <paramref name="ids"/> up in the [rows, cols] table <paramref name="name"/>; int8 rows with per-row scales when quantising.</summary>
    public string Embedding(string ids, string name, int rows, int cols, bool quantizable)
    {
        if (format != OnnxWeightFormat.Int8 || !quantizable || !quantizeEmbeddings)
            return graph.Node("Gather", [Float(name, rows, cols), ids]);
        float[] table = weights.Get(name, rows, cols);
        var q = new sbyte[table.Length];
        var scales = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            var row = table.AsSpan(r * cols, cols);
            float max = 0;
            foreach (float v in row) max = Math.Max(max, Math.Abs(v));
            float s = max > 0 ? max / qmax : 1f;
            scales[r] = s;
            for (int c = 0; c < cols; c++) q[r * cols + c] = (sbyte)Math.Clamp(MathF.Round(row[c] / s), -qmax, qmax);
        }
        string qTable = graph.Initializer(name + ".int8", DataType.Int8, [rows, cols], q.AsSpan());
        string scaleTable = graph.Float(name + ".scale", scales, rows, 1);
        string gathered = graph.Node("Cast", [graph.Node("Gather", [qTable, ids])], Attr("to", (long)DataType.Float));
        return graph.Node("Mul", [gathered, graph.Node("Gather", [scaleTable, ids])]);
    }

    private (sbyte[] Values, float[] Scales) QuantizeColumns(float[] w, int rows, int cols)
    {
        var scales = new float[cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                scales[c] = Math.Max(scales[c], Math.Abs(w[r * cols + c]));
        for (int c = 0; c < cols; c++) scales[c] = scales[c] > 0 ? scales[c] / qmax : 1f;
        var q = new sbyte[w.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                q[r * cols + c] = (sbyte)Math.Clamp(MathF.Round(w[r * cols + c] / scales[c]), -qmax, qmax);
        return (q, scales);
    }

    /// <summary>The [cols, rows] transpose of the row-major [rows, cols] matrix <paramref name="w"/> (MatMul weights are Linear weights transposed).</summary>
    internal static float[] Transpose(float[] w, int rows, int cols)
    {
        var t = new float[w.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                t[c * rows + r] = w[r * cols + c];
        return t;
    }
}
