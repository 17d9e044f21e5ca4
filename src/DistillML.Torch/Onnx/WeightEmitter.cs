using DistillML.Torch.Onnx.Proto;
using DataType = DistillML.Torch.Onnx.Proto.TensorProto.Types.DataType;
using static DistillML.Torch.Onnx.OnnxGraphBuilder;

namespace DistillML.Torch.Onnx;

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
        if (format != OnnxWeightFormat.Int8 || !quantizable || float32Layers?.Contains(prefix) == true)
        {
            string weight = Float(prefix + ".weight.transposed", transposed, inFeatures, outFeatures);
            return graph.Node("Add", [graph.Node("MatMul", [x, weight]), bias]);
        }

        var (q, scales) = QuantizeColumns(transposed, inFeatures, outFeatures);
        string qWeight = graph.Initializer(prefix + ".weight.transposed.int8", DataType.Int8, [inFeatures, outFeatures], q.AsSpan());
        string wScale = graph.Float(prefix + ".weight.scale", scales, outFeatures);
        string wZero = graph.Initializer(prefix + ".weight.zero_point", DataType.Int8, [outFeatures], new sbyte[outFeatures].AsSpan());
        var xq = graph.Node("DynamicQuantizeLinear", [x], 3);
        string product = graph.Node("MatMulInteger", [xq[0], qWeight, xq[2], wZero]);
        string asFloat = graph.Node("Cast", [product], Attr("to", (long)DataType.Float));
        string scale = graph.Node("Mul", [xq[1], wScale]);
        return graph.Node("Add", [graph.Node("Mul", [asFloat, scale]), bias]);
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
