using System.Runtime.InteropServices;
using DistillML.Torch.OnnxExport.Proto;
using Google.Protobuf;
using DataType = DistillML.Torch.OnnxExport.Proto.TensorProto.Types.DataType;

namespace DistillML.Torch.OnnxExport;

/// <summary>Appends nodes, initializers, inputs and outputs to an ONNX graph; names intermediate values uniquely.</summary>
internal sealed class OnnxGraphBuilder(string graphName)
{
    private int counter;
    private readonly HashSet<string> initializers = new(StringComparer.Ordinal);

    public GraphProto Graph { get; } = new() { Name = graphName };

    /// <summary>Adds a node with one output and returns the output's name.</summary>
    public string Node(string opType, IEnumerable<string> inputs, params AttributeProto[] attributes) =>
        Node(opType, inputs, 1, attributes)[0];

    /// <summary>The domain of ONNX Runtime's contrib operators (fused attention, layer norms, quantized matmuls).</summary>
    public const string MicrosoftDomain = "com.microsoft";

    /// <summary>True once a node of <see cref="MicrosoftDomain"/> was added (the model must then import that opset).</summary>
    public bool UsesMicrosoftDomain { get; private set; }

    /// <summary>Adds a node with <paramref name="outputs"/> outputs and returns their names.</summary>
    public string[] Node(string opType, IEnumerable<string> inputs, int outputs, params AttributeProto[] attributes) =>
        Node("", opType, inputs, outputs, attributes);

    /// <summary>Adds a one-output ONNX Runtime contrib operator (<see cref="MicrosoftDomain"/>); an input named "" is an omitted optional input.</summary>
    public string Contrib(string opType, IEnumerable<string> inputs, params AttributeProto[] attributes) =>
        Node(MicrosoftDomain, opType, inputs, 1, attributes)[0];

    /// <summary>Adds a contrib operator with <paramref name="outputs"/> outputs (some declare more than they need to be given).</summary>
    public string[] Contrib(string opType, IEnumerable<string> inputs, int outputs, params AttributeProto[] attributes) =>
        Node(MicrosoftDomain, opType, inputs, outputs, attributes);

    private string[] Node(string domain, string opType, IEnumerable<string> inputs, int outputs, AttributeProto[] attributes)
    {
        int id = counter++;
        var node = new NodeProto { OpType = opType, Name = $"{opType}_{id}", Domain = domain };
        if (domain == MicrosoftDomain) UsesMicrosoftDomain = true;
        node.Input.AddRange(inputs);
        var names = Enumerable.Range(0, outputs).Select(o => $"{opType}_{id}_out{o}").ToArray();
        node.Output.AddRange(names);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return names;
    }

    /// <summary>Renames the output of the last node (used for the graph outputs).</summary>
    public void RenameLastOutput(string name) => Graph.Node[^1].Output[0] = name;

    /// <summary>Adds an initializer of raw little-endian values.</summary>
    public string Initializer<T>(string name, DataType type, long[] dims, ReadOnlySpan<T> values) where T : unmanaged
    {
        if (!initializers.Add(name)) throw new InvalidOperationException($"Initializer '{name}' is defined twice.");
        long count = dims.Aggregate(1L, (a, d) => a * d);
        if (count != values.Length) throw new InvalidOperationException($"Initializer '{name}': {values.Length} values for shape [{string.Join(", ", dims)}].");
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values)) };
        tensor.Dims.AddRange(dims);
        Graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>A float32 constant (scalar when <paramref name="dims"/> is empty).</summary>
    public string Float(string name, float[] values, params long[] dims) => Initializer(name, DataType.Float, dims, values.AsSpan());

    /// <summary>A float32 constant shared by every node that asks for <paramref name="name"/> (the first definition wins).</summary>
    public string SharedFloat(string name, float value) => initializers.Contains(name) ? name : Float(name, [value]);

    /// <summary>An int64 constant (scalar when <paramref name="dims"/> is empty).</summary>
    public string Int64(string name, long[] values, params long[] dims) => Initializer(name, DataType.Int64, dims, values.AsSpan());

    /// <summary>A 1-D int64 constant.</summary>
    public string Int64s(string name, params long[] values) => initializers.Contains(name) ? name : Int64(name, values, values.Length);

    /// <summary>Declares a graph input; a dimension is a fixed size (long) or a symbolic name (string).</summary>
    public void Input(string name, DataType type, params object[] dims) => Graph.Input.Add(ValueInfo(name, type, dims));

    /// <summary>Declares a graph output, shaped like <see cref="Input"/>.</summary>
    public void Output(string name, DataType type, params object[] dims) => Graph.Output.Add(ValueInfo(name, type, dims));

    private static ValueInfoProto ValueInfo(string name, DataType type, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d switch
            {
                string param => new TensorShapeProto.Types.Dimension { DimParam = param },
                long size => new TensorShapeProto.Types.Dimension { DimValue = size },
                int size => new TensorShapeProto.Types.Dimension { DimValue = size },
                _ => throw new ArgumentException($"Dimension {d} of '{name}' is neither a size nor a name."),
            });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    public static AttributeProto Attr(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Attr(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Attr(string name, long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }
}
