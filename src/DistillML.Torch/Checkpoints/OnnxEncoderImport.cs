using DistillML.Torch.Modeling;
using DistillML.Torch.OnnxExport.Proto;

namespace DistillML.Torch.Checkpoints;

/// <summary>What <see cref="OnnxEncoderImport.Read(string)"/> recovered from an ONNX graph.</summary>
/// <param name="Config">The architecture, inferred from the graph (sizes from the weights, heads from the Reshape shapes, epsilon from the LayerNorms, activation from Erf).</param>
/// <param name="Tensors">Every weight under its Hugging Face name (<c>bert.encoder.layer.0.attention.self.query.weight</c>, ...), Linear weights as [out, in].</param>
/// <param name="HasQaHead">Whether the graph carries a span head (<c>qa_outputs</c>); encoders have none.</param>
public sealed record OnnxImportResult(BertConfig Config, IReadOnlyDictionary<string, (long[] Shape, float[] Values)> Tensors, bool HasQaHead);

/// <summary>
/// Reads a BERT or DistilBERT encoder (or QA model) exported to ONNX back into Hugging Face tensors and a config,
/// working from the graph rather than from names: a PyTorch export stores each Linear weight as a MatMul initializer with
/// a generated name (<c>onnx::MatMul_1234</c>, [in, out]) whose product is added to the Linear's named bias, so the
/// weight takes the bias's name and is transposed back. LayerNorm may be one LayerNormalization node or decomposed
/// (ReduceMean/Sub/Pow/Sqrt/Div), Linear may be a Gemm, weights may sit behind Cast (float16 exports) or in external
/// data. Anything else the graph does is refused, naming the node.
/// </summary>
public static class OnnxEncoderImport
{
    // The ops a plain BERT export uses (attention, GELU, LayerNorm spelled out or not, mask and shape arithmetic).
    private static readonly HashSet<string> KnownOps =
    [
        "Gather", "Add", "Sub", "Mul", "Div", "MatMul", "Gemm", "Reshape", "Transpose", "Softmax", "Erf", "Tanh",
        "LayerNormalization", "ReduceMean", "Pow", "Sqrt", "Shape", "Slice", "Unsqueeze", "Squeeze", "Concat", "Constant",
        "ConstantOfShape", "Cast", "Equal", "Where", "Expand", "Identity", "Range", "Split", "Neg", "Not", "Less", "Min", "Max",
        "DynamicQuantizeLinear", "MatMulInteger",
    ];

    private static readonly string[] HuggingFaceRoots = ["embeddings.", "encoder.layer.", "transformer.layer.", "pooler.", "qa_outputs."];


    /// <summary>Reads <paramref name="onnxPath"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not an ONNX model, or its graph is not a BERT-family encoder this reader understands (the message names the node or tensor).</exception>
    public static OnnxImportResult Read(string onnxPath) => Read(OnnxGraphIndex.Load(onnxPath), onnxPath);

    /// <summary>Reads a model from <paramref name="stream"/> (for example a resource of a NuGet package); <paramref name="name"/> names it in errors.</summary>
    public static OnnxImportResult Read(Stream stream, string name) => Read(OnnxGraphIndex.Load(name, stream), name);

    private static OnnxImportResult Read(OnnxGraphIndex g, string file)
    {
        foreach (var node in g.Graph.Node)
        {
            if (node.Domain is { Length: > 0 } domain && domain != "ai.onnx")
                throw new InvalidDataException($"{file}: node {OnnxGraphIndex.Describe(node)} is the {domain} operator {node.OpType} (an optimised graph); import the plain export instead.");
            if (node.OpType is "DynamicQuantizeLinear" or "MatMulInteger")
                throw new InvalidDataException($"{file}: node {OnnxGraphIndex.Describe(node)} is int8-quantised; its weights cannot be recovered exactly. Import a float32 or float16 export.");
            if (!KnownOps.Contains(node.OpType))
                throw new InvalidDataException($"{file}: node {OnnxGraphIndex.Describe(node)}: operator {node.OpType} is not part of a BERT encoder this importer understands.");
        }

        var tensors = new Dictionary<string, (long[] Shape, float[] Values)>(StringComparer.Ordinal);
        // Named weights: initializers whose names hold a Hugging Face parameter path.
        foreach (var init in g.Graph.Initializer)
            if (OnnxGraphIndex.IsFloat(init) && HuggingFaceName(init.Name) is { } name && !name.EndsWith(".transposed", StringComparison.Ordinal)
                && g.FloatConstant(init.Name, out _, out var shape) is { } values)
                tensors[name] = (shape, values);

        // Linear layers: MatMul by a constant whose product is added to a named bias, or a Gemm with its bias.
        foreach (var node in g.Graph.Node)
        {
            if (node.OpType == "MatMul") ReadMatMul(g, node, tensors, file);
            else if (node.OpType == "Gemm") ReadGemm(g, node, tensors, file);
        }

        var family = tensors.Keys.Any(k => k.StartsWith("transformer.layer.", StringComparison.Ordinal)) ? ModelFamily.DistilBert : ModelFamily.Bert;
        string prefix = family == ModelFamily.Bert ? "bert." : "distilbert.";
        tensors = tensors.ToDictionary(kv => kv.Key.StartsWith("qa_outputs.", StringComparison.Ordinal) ? kv.Key : prefix + kv.Key, kv => kv.Value, StringComparer.Ordinal);
        var config = InferConfig(g, tensors, family, prefix, file);

        // Strict: every tensor of the architecture must have been found (the QA head and BERT's pooler are optional).
        using var reference = new BertQaModel(config);
        foreach (var (name, expected) in reference.state_dict())
        {
            if (name.StartsWith("qa_outputs.", StringComparison.Ordinal)) continue;
            if (!tensors.TryGetValue(name, out var found))
                throw new InvalidDataException($"{file}: no weight for '{name}' (shape [{string.Join(", ", expected.shape)}]) was found in the graph.");
            if (!found.Shape.SequenceEqual(expected.shape))
                throw new InvalidDataException($"{file}: '{name}' has shape [{string.Join(", ", found.Shape)}] in the graph but the inferred architecture needs [{string.Join(", ", expected.shape)}].");
        }
        // Keep the architecture's tensors, the pooler of BERT encoders and a complete QA head; other named constants of
        // the graph (scales, masks) are not weights.
        var names = reference.state_dict().Keys.ToHashSet();
        bool head = tensors.ContainsKey("qa_outputs.weight") && tensors.ContainsKey("qa_outputs.bias");
        var kept = tensors.Where(kv => (names.Contains(kv.Key) && (head || !kv.Key.StartsWith("qa_outputs.", StringComparison.Ordinal)))
                || kv.Key is "bert.pooler.dense.weight" or "bert.pooler.dense.bias")
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        return new OnnxImportResult(config, kept, head);
    }

    // "onnx::MatMul_12" -> null; "0.auto_model.encoder.layer.0.attention.self.query.bias" -> "encoder.layer.0.attention.self.query.bias":
    // the name from the Hugging Face module root on, without the family prefix (bert. / distilbert.), which is added
    // once the family is known.
    internal static string? HuggingFaceName(string initializer)
    {
        foreach (var root in HuggingFaceRoots)
        {
            int at = initializer.IndexOf(root, StringComparison.Ordinal);
            if (at == 0 || (at > 0 && initializer[at - 1] == '.')) return initializer[at..];
        }
        return null;
    }

    private static void ReadMatMul(OnnxGraphIndex g, NodeProto node, Dictionary<string, (long[], float[])> tensors, string file)
    {
        // The weight is the constant operand; x · W with W [in, out] (PyTorch exports Linear this way).
        if (g.FloatConstant(node.Input[1], out var source, out var shape) is not { } w) return; // an activation product (attention scores, context)
        if (shape.Length != 2) throw new InvalidDataException($"{file}: node {OnnxGraphIndex.Describe(node)} multiplies by the {shape.Length}-d constant '{source}'; expected a [in, out] Linear weight.");
        var add = g.Consumers(node.Output[0]).FirstOrDefault(c => c.OpType == "Add")
            ?? throw new InvalidDataException($"{file}: node {OnnxGraphIndex.Describe(node)} multiplies by '{source}' but no bias is added to its product, so the Linear it belongs to cannot be named.");
        string biasInput = add.Input[0] == node.Output[0] ? add.Input[1] : add.Input[0];
        if (g.FloatConstant(biasInput, out var biasSource, out _) is null || HuggingFaceName(biasSource) is not { } biasName || !biasName.EndsWith(".bias", StringComparison.Ordinal))
            throw new InvalidDataException($"{file}: node {OnnxGraphIndex.Describe(add)} adds '{biasSource}' to the product of '{source}'; expected a named Linear bias (…​.bias).");
        string weightName = biasName[..^".bias".Length] + ".weight";
        tensors[weightName] = ([shape[1], shape[0]], OnnxExport.WeightEmitter.Transpose(w, (int)shape[0], (int)shape[1]));
    }

    private static void ReadGemm(OnnxGraphIndex g, NodeProto node, Dictionary<string, (long[], float[])> tensors, string file)
    {
        if (node.Input.Count < 3 || g.FloatConstant(node.Input[1], out var source, out var shape) is not { } w) return;
        long transB = node.Attribute.FirstOrDefault(a => a.Name == "transB")?.I ?? 0;
        if (g.FloatConstant(node.Input[2], out var biasSource, out _) is null || HuggingFaceName(biasSource) is not { } biasName || !biasName.EndsWith(".bias", StringComparison.Ordinal))
            throw new InvalidDataException($"{file}: Gemm node {OnnxGraphIndex.Describe(node)} has no named bias; the Linear it belongs to cannot be named.");
        string weightName = biasName[..^".bias".Length] + ".weight";
        tensors[weightName] = transB == 1 ? (shape, w) : ([shape[1], shape[0]], OnnxExport.WeightEmitter.Transpose(w, (int)shape[0], (int)shape[1]));
    }

    private static BertConfig InferConfig(OnnxGraphIndex g, Dictionary<string, (long[] Shape, float[] Values)> tensors, ModelFamily family, string prefix, string file)
    {
        (long[] Shape, float[] Values) Need(string name) => tensors.TryGetValue(name, out var t) ? t
            : throw new InvalidDataException($"{file}: the graph has no '{name}' (looked for initializers named …{name[prefix.Length..]}); is it a BERT-family encoder?");
        var words = Need(prefix + "embeddings.word_embeddings.weight");
        var positions = Need(prefix + "embeddings.position_embeddings.weight");
        int hidden = (int)words.Shape[1];
        string layerRoot = family == ModelFamily.Bert ? prefix + "encoder.layer." : prefix + "transformer.layer.";
        int layers = tensors.Keys.Where(k => k.StartsWith(layerRoot, StringComparison.Ordinal))
            .Select(k => int.Parse(k[layerRoot.Length..].Split('.')[0], System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(-1).Max() + 1;
        if (layers < 1) throw new InvalidDataException($"{file}: no transformer layers ({layerRoot}N.…) were found in the graph.");
        var intermediate = Need(family == ModelFamily.Bert ? $"{layerRoot}0.intermediate.dense.weight" : $"{layerRoot}0.ffn.lin1.weight");
        int typeVocab = family == ModelFamily.Bert ? (int)Need(prefix + "embeddings.token_type_embeddings.weight").Shape[0] : 0;

        return new BertConfig
        {
            Family = family,
            VocabSize = (int)words.Shape[0],
            HiddenSize = hidden,
            NumLayers = layers,
            NumHeads = InferHeads(g, hidden, file),
            IntermediateSize = (int)intermediate.Shape[0],
            HiddenAct = InferActivation(g, file),
            MaxPositionEmbeddings = (int)positions.Shape[0],
            TypeVocabSize = typeVocab,
            LayerNormEps = family == ModelFamily.Bert ? InferEpsilon(g, file) : 1e-12,
            HiddenDropout = 0.1, AttentionDropout = 0.1, QaDropout = family == ModelFamily.Bert ? 0 : 0.1,
        }.Validate();
    }

    // Heads: the Reshape that splits [batch, seq, hidden] into [batch, seq, heads, head size]. Its shape is a constant
    // or, in dynamic-axes exports, a Concat of the dynamic batch/sequence sizes with the constant heads and head size.
    private static int InferHeads(OnnxGraphIndex g, int hidden, string file)
    {
        var found = new HashSet<int>();
        foreach (var node in g.Graph.Node.Where(n => n.OpType == "Reshape"))
        {
            var shape = ShapeValues(g, node.Input[1]);
            if (shape is { Length: 4 } && shape[2] > 0 && shape[3] > 0 && shape[2] * shape[3] == hidden) found.Add((int)shape[2]);
        }
        return found.Count switch
        {
            1 => found.Single(),
            0 => throw new InvalidDataException($"{file}: no Reshape to [batch, seq, heads, head size] with heads x head size = {hidden} was found, so the number of attention heads is unknown."),
            _ => throw new InvalidDataException($"{file}: the Reshapes disagree on the number of attention heads ({string.Join(", ", found.Order())})."),
        };
    }

    private static long[]? ShapeValues(OnnxGraphIndex g, string value)
    {
        if (g.Constant(value) is { } constant) return constant.Values.Select(v => (long)v).ToArray();
        if (g.Producer(value) is { OpType: "Concat" } concat)
            return concat.Input.SelectMany(input => g.Constant(input) is { } c ? c.Values.Select(v => (long)v) : [-1L]).ToArray();
        return null;
    }

    private static string InferActivation(OnnxGraphIndex g, string file)
    {
        if (g.Graph.Node.Any(n => n.OpType == "Erf")) return "gelu";
        var pow = g.Graph.Node.FirstOrDefault(n => n.OpType == "Pow" && g.Constant(n.Input[1]) is { Values: [3.0] });
        if (pow is not null)
            throw new InvalidDataException($"{file}: node {OnnxGraphIndex.Describe(pow)} cubes its input: the feed-forward uses the tanh approximation of GELU (gelu_new), which is not supported; only the exact (erf) GELU is.");
        throw new InvalidDataException($"{file}: the graph has no Erf node, so its feed-forward activation is not the exact GELU this importer supports.");
    }

    private static double InferEpsilon(OnnxGraphIndex g, string file)
    {
        var values = new HashSet<double>();
        foreach (var node in g.Graph.Node)
        {
            if (node.OpType == "LayerNormalization")
                values.Add(node.Attribute.FirstOrDefault(a => a.Name == "epsilon")?.F ?? 1e-5f); // ONNX's default
            else if (node.OpType == "Sqrt" && g.Producer(node.Input[0]) is { OpType: "Add" } add)
                foreach (var input in add.Input)
                    if (g.Constant(input) is { Values: [var eps] }) values.Add(eps);
        }
        if (values.Count == 0) throw new InvalidDataException($"{file}: no LayerNorm (LayerNormalization, or Sqrt of variance + epsilon) was found.");
        if (values.Count > 1) throw new InvalidDataException($"{file}: the LayerNorms use different epsilons ({string.Join(", ", values.Order())}).");
        // Epsilons are stored as float32: 1e-12 comes back as 9.9999999600419e-13. Return the shortest decimal that round-trips.
        float eps32 = (float)values.Single();
        return double.Parse(eps32.ToString("R", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
    }
}
