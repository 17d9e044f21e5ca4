using DistillML.Torch.OnnxExport.Proto;
using Google.Protobuf;
using DataType = DistillML.Torch.OnnxExport.Proto.TensorProto.Types.DataType;

namespace DistillML.Torch.Checkpoints;

/// <summary>
/// An ONNX graph indexed for reading back weights: initializers and Constant nodes as constants, each value's producer
/// and consumers, and constant folding through the casts exporters put in front of weights.
/// </summary>
internal sealed class OnnxGraphIndex
{
    private readonly string path;
    private readonly string? directory;
    private readonly Dictionary<string, TensorProto> constants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NodeProto> producers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<NodeProto>> consumers = new(StringComparer.Ordinal);

    private OnnxGraphIndex(string path, ModelProto model)
    {
        this.path = path;
        directory = Path.GetDirectoryName(Path.GetFullPath(path));
        Model = model;
        Graph = model.Graph ?? throw new InvalidDataException($"{path}: the ONNX model has no graph.");
        foreach (var tensor in Graph.Initializer) constants[tensor.Name] = tensor;
        foreach (var node in Graph.Node)
        {
            foreach (var output in node.Output) producers[output] = node;
            foreach (var input in node.Input)
            {
                if (input.Length == 0) continue; // an omitted optional input
                if (!consumers.TryGetValue(input, out var list)) consumers[input] = list = [];
                list.Add(node);
            }
            if (node.OpType == "Constant" && node.Attribute.FirstOrDefault(a => a.Name == "value") is { T: { } value })
                constants[node.Output[0]] = value;
        }
    }

    /// <summary>The model.</summary>
    public ModelProto Model { get; }

    /// <summary>Its graph.</summary>
    public GraphProto Graph { get; }

    /// <summary>Reads and indexes <paramref name="onnxPath"/>; errors name the file.</summary>
    public static OnnxGraphIndex Load(string onnxPath)
    {
        if (!File.Exists(onnxPath)) throw new FileNotFoundException($"ONNX file '{onnxPath}' not found.", onnxPath);
        try
        {
            using var stream = File.OpenRead(onnxPath);
            return Load(onnxPath, stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{onnxPath}: not an ONNX model ({e.Message}).", e);
        }
    }

    /// <summary>Reads and indexes a model from <paramref name="stream"/>; <paramref name="name"/> names it in errors.</summary>
    public static OnnxGraphIndex Load(string name, Stream stream)
    {
        try
        {
            return new OnnxGraphIndex(name, ModelProto.Parser.ParseFrom(stream));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{name}: not an ONNX model ({e.Message}).", e);
        }
    }

    /// <summary>The node that produces <paramref name="value"/>, if any (graph inputs and initializers have none).</summary>
    public NodeProto? Producer(string value) => producers.GetValueOrDefault(value);

    /// <summary>The nodes that read <paramref name="value"/>.</summary>
    public IReadOnlyList<NodeProto> Consumers(string value) => consumers.TryGetValue(value, out var list) ? list : [];

    /// <summary>True for tensors of a floating-point element type.</summary>
    public static bool IsFloat(TensorProto t) => (DataType)t.DataType is DataType.Float or DataType.Float16 or DataType.Bfloat16 or DataType.Double;

    /// <summary>The name of a node for error messages: its name, else its op type and first output.</summary>
    public static string Describe(NodeProto node) => string.IsNullOrEmpty(node.Name) ? $"{node.OpType} -> {node.Output.FirstOrDefault()}" : $"'{node.Name}' ({node.OpType})";

    /// <summary>
    /// The constant behind <paramref name="value"/> (an initializer or Constant, through Identity and Cast nodes), with the
    /// name of the initializer it comes from; null when the value is computed from the inputs.
    /// </summary>
    public (string Source, long[] Shape, double[] Values)? Constant(string value) =>
        Resolve(value) is { } t ? (Name(t, value), [.. t.Dims], Values(t)) : null;

    /// <summary>The float32 values of a constant (converted from float16, bfloat16 or float64 exactly where they are float32-representable).</summary>
    public float[]? FloatConstant(string value, out string source, out long[] shape)
    {
        var t = Resolve(value);
        source = t is null ? value : Name(t, value);
        shape = t is null ? [] : [.. t.Dims];
        return t is null ? null : Floats(t);
    }

    // The initializer or Constant tensor a value comes from, followed back through Identity and Cast (a few hops).
    private TensorProto? Resolve(string value)
    {
        for (int hops = 0; hops < 8; hops++)
        {
            if (constants.TryGetValue(value, out var tensor)) return tensor;
            if (producers.GetValueOrDefault(value) is not { OpType: "Identity" or "Cast" } node) return null;
            value = node.Input[0];
        }
        return null;
    }

    private static string Name(TensorProto t, string value) => t.Name.Length > 0 ? t.Name : value;

    private float[] Floats(TensorProto t)
    {
        long count = t.Dims.Aggregate(1L, (a, d) => a * d);
        var type = (DataType)t.DataType;
        if (type == DataType.Float && t.FloatData.Count > 0) return [.. t.FloatData];
        if (type == DataType.Double && t.DoubleData.Count > 0) return t.DoubleData.Select(d => (float)d).ToArray();
        var bytes = RawBytes(t);
        return type switch
        {
            DataType.Float => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray(),
            DataType.Float16 => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(bytes).ToArray().Select(h => (float)h).ToArray(),
            DataType.Bfloat16 => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(bytes).ToArray().Select(b => BitConverter.UInt32BitsToSingle((uint)b << 16)).ToArray(),
            DataType.Double => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(bytes).ToArray().Select(d => (float)d).ToArray(),
            _ => throw new InvalidDataException($"{path}: tensor '{t.Name}' has element type {type}; expected a floating-point weight."),
        } is var values && values.Length == count
            ? values
            : throw new InvalidDataException($"{path}: tensor '{t.Name}' holds the wrong number of values for its shape [{string.Join(", ", t.Dims)}].");
    }

    private double[] Values(TensorProto t)
    {
        var type = (DataType)t.DataType;
        if (t.Int64Data.Count > 0) return t.Int64Data.Select(v => (double)v).ToArray();
        if (t.Int32Data.Count > 0) return t.Int32Data.Select(v => (double)v).ToArray();
        if (type is DataType.Int64 or DataType.Int32)
        {
            var bytes = RawBytes(t);
            return type == DataType.Int64
                ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(bytes).ToArray().Select(v => (double)v).ToArray()
                : System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(bytes).ToArray().Select(v => (double)v).ToArray();
        }
        return Floats(t).Select(v => (double)v).ToArray();
    }

    // raw_data, or the bytes of an external-data file (location/offset/length relative to the model's folder).
    private ReadOnlySpan<byte> RawBytes(TensorProto t)
    {
        if (t.DataLocation != TensorProto.Types.DataLocation.External) return t.RawData.Span;
        var entries = t.ExternalData.ToDictionary(e => e.Key, e => e.Value);
        if (!entries.TryGetValue("location", out var location))
            throw new InvalidDataException($"{path}: tensor '{t.Name}' is stored externally but names no location.");
        string file = Path.Combine(directory ?? ".", location);
        if (!File.Exists(file)) throw new FileNotFoundException($"{path}: tensor '{t.Name}' is stored in '{file}', which is missing.", file);
        long offset = entries.TryGetValue("offset", out var o) ? long.Parse(o, System.Globalization.CultureInfo.InvariantCulture) : 0;
        int elementSize = (DataType)t.DataType switch { DataType.Float or DataType.Int32 => 4, DataType.Float16 or DataType.Bfloat16 => 2, _ => 8 };
        long length = entries.TryGetValue("length", out var l) ? long.Parse(l, System.Globalization.CultureInfo.InvariantCulture) : t.Dims.Aggregate(1L, (a, d) => a * d) * elementSize;
        using var stream = File.OpenRead(file);
        stream.Seek(offset, SeekOrigin.Begin);
        var buffer = new byte[length];
        stream.ReadExactly(buffer);
        return buffer;
    }
}
