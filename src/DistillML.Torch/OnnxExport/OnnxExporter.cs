using System.Reflection;
using System.Text.Json;
using DistillML.Text.Deployment;
using DistillML.Text.Features;
using DistillML.Torch.Modeling;
using DistillML.Torch.OnnxExport.Proto;
using Google.Protobuf;

namespace DistillML.Torch.OnnxExport;

/// <summary>
/// Writes a <see cref="BertQaModel"/> as an ONNX model (TorchSharp has no exporter): the graph is built from the
/// module structure and the weights from <c>state_dict()</c>. Opset 17 (<c>LayerNormalization</c>; GELU as
/// <c>Erf</c>), IR version 8, inputs <c>input_ids</c>, <c>attention_mask</c> and (BERT only) <c>token_type_ids</c>,
/// int64 [batch, sequence] with both axes dynamic, outputs <c>start_logits</c> and <c>end_logits</c> float
/// [batch, sequence]. The metadata carries the architecture, parameter count, vocabulary hash, featurizer settings and
/// <c>config.json</c> (see <see cref="QaModelMetadata"/>).
/// </summary>
/// <example>
/// <code>
/// var model = BertQaModel.Load("student/");
/// model.ExportOnnx("student.onnx");                                                   // float32
/// model.ExportOnnx("student-int8.onnx", new OnnxExportOptions { WeightFormat = OnnxWeightFormat.Int8 });
/// </code>
/// </example>
public static class OnnxExporter
{
    /// <summary>The opset of the default ONNX domain the exported graph uses.</summary>
    public const int Opset = 17;

    /// <summary>The ONNX IR version written (IR 8 goes with opset 17).</summary>
    public const int IrVersion = 8;

    /// <summary>Metadata key of an int8 model: the linear layers kept float32 (comma-separated, possibly empty).</summary>
    public const string Int8Float32LayersKey = "distillml.int8_float32_layers";

    /// <summary>Metadata key of an int8 model: "int8" or "fp32", how the word embeddings are stored.</summary>
    public const string Int8EmbeddingsKey = "distillml.int8_embeddings";

    /// <summary>Metadata key: "portable" (opset 17 only) or "ort-fused" (ONNX Runtime's contrib operators, <see cref="OnnxExportOptions.OrtFusedOperators"/>).</summary>
    public const string GraphKey = "distillml.graph";

    /// <summary>
    /// The linear layers <see cref="OnnxWeightFormat.Int8"/> quantises, by Hugging Face module name, layer by layer in
    /// the order query, key, value, attention output, feed-forward in, feed-forward out (the QA head stays float32).
    /// </summary>
    public static IReadOnlyList<string> QuantizableLayers(BertConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Enumerable.Range(0, config.NumLayers).Select(i => LayerTensorNames.For(config, i))
            .SelectMany(n => new[] { n.Query, n.Key, n.Value, n.AttentionOutput, n.FeedForwardIn, n.FeedForwardOut }).ToList();
    }

    /// <summary>Exports <paramref name="model"/> to <paramref name="path"/>, atomically (a temporary file, then a rename).</summary>
    /// <exception cref="ArgumentException">No vocabulary is known, or the featurizer settings do not fit the model.</exception>
    /// <exception cref="InvalidOperationException">A different <c>vocab.txt</c> already lies beside <paramref name="path"/>.</exception>
    public static OnnxExportResult ExportOnnx(this BertQaModel model, string path, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new OnnxExportOptions();
        string vocabPath = options.VocabularyPath ?? model.VocabularyPath
            ?? throw new ArgumentException("The model's vocabulary is unknown: set OnnxExportOptions.VocabularyPath or BertQaModel.VocabularyPath.", nameof(options));
        var vocabulary = WordPieceVocabulary.Load(vocabPath);
        var config = model.Config;
        if (vocabulary.Count != config.VocabSize)
            throw new ArgumentException($"{vocabPath} has {vocabulary.Count} tokens but the model's vocab_size is {config.VocabSize}.", nameof(options));
        var featurizer = options.Featurizer ?? new FeaturizerOptions();
        featurizer.Validate();
        if (featurizer.MaxSequenceLength > config.MaxPositionEmbeddings)
            throw new ArgumentException(
                $"Featurizer MaxSequenceLength {featurizer.MaxSequenceLength} exceeds the model's max_position_embeddings {config.MaxPositionEmbeddings}.", nameof(options));

        var weights = new WeightTable(model);
        var metadata = new QaModelMetadata
        {
            Architecture = config.QaArchitecture,
            Family = config.BaseModelPrefix,
            ParameterCount = weights.Count,
            VocabHash = vocabulary.Hash(),
            VocabSize = vocabulary.Count,
            MaxPositionEmbeddings = config.MaxPositionEmbeddings,
            MaxSequenceLength = featurizer.MaxSequenceLength,
            DocStride = featurizer.DocStride,
            MaxQueryLength = featurizer.MaxQueryLength,
            LowerCase = featurizer.LowerCase,
            WeightFormat = options.WeightFormat switch
            {
                OnnxWeightFormat.Float32 => "fp32",
                OnnxWeightFormat.Float16 => "fp16",
                OnnxWeightFormat.Int8 => "int8",
                var f => throw new ArgumentException($"Unknown weight format {f}.", nameof(options)),
            },
            ConfigJson = BertConfigJson.ToJson(config).ToJsonString(new JsonSerializerOptions { WriteIndented = false }),
        };

        var graph = new OnnxGraphBuilder(metadata.Architecture);
        var quantizable = QuantizableLayers(config);
        if (options.Float32Layers.FirstOrDefault(name => !quantizable.Contains(name)) is { } unknown)
            throw new ArgumentException($"OnnxExportOptions.Float32Layers names '{unknown}', which is not a quantizable layer of this model (for example '{quantizable[0]}').", nameof(options));
        var emitter = new WeightEmitter(graph, weights, options.WeightFormat, options.QuantizeEmbeddings, options.ReduceRange,
            options.Float32Layers.ToHashSet(StringComparer.Ordinal));
        BertOnnxGraph.Build(graph, emitter, config, options.OrtFusedOperators);

        var proto = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "DistillML",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0",
            Domain = "ai.distillml",
            ModelVersion = options.ModelVersion,
            DocString = options.Description ?? $"{metadata.Architecture} ({metadata.ParameterCount:N0} parameters, {metadata.WeightFormat} weights) exported by DistillML.",
            Graph = graph.Graph,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        if (graph.UsesMicrosoftDomain) proto.OpsetImport.Add(new OperatorSetIdProto { Domain = OnnxGraphBuilder.MicrosoftDomain, Version = 1 });
        var properties = new Dictionary<string, string>(metadata.ToDictionary(), StringComparer.Ordinal);
        properties[GraphKey] = options.OrtFusedOperators ? "ort-fused" : "portable";
        if (options.WeightFormat == OnnxWeightFormat.Int8)
        {
            properties[Int8Float32LayersKey] = string.Join(',', options.Float32Layers.Order(StringComparer.Ordinal));
            properties[Int8EmbeddingsKey] = options.QuantizeEmbeddings ? "int8" : "fp32";
        }
        foreach (var (key, value) in properties) proto.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        foreach (var (key, value) in options.ExtraMetadata)
        {
            if (properties.ContainsKey(key)) throw new ArgumentException($"Extra metadata key '{key}' would replace DistillML's own.", nameof(options));
            proto.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        string? copiedVocab = options.CopyVocabulary ? CopyVocabulary(vocabulary, vocabPath, directory) : null;
        WriteAtomically(fullPath, proto);
        return new OnnxExportResult(fullPath, new FileInfo(fullPath).Length, metadata, copiedVocab);
    }

    private static string CopyVocabulary(WordPieceVocabulary vocabulary, string source, string directory)
    {
        string target = Path.Combine(directory, "vocab.txt");
        if (File.Exists(target))
        {
            if (WordPieceVocabulary.Load(target).Hash() != vocabulary.Hash())
                throw new InvalidOperationException($"{target} already exists and holds a different vocabulary than {source}; export into another directory.");
            return target;
        }
        string temp = target + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            File.Copy(source, temp);
            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            if (File.Exists(temp)) File.Delete(temp); // a full disk must not leave a cut copy behind
            throw;
        }
        return target;
    }

    private static void WriteAtomically(string path, ModelProto proto)
    {
        string temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                proto.WriteTo(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            if (File.Exists(temp)) File.Delete(temp);
            throw;
        }
    }
}
