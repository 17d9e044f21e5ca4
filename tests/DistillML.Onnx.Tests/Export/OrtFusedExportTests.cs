using DistillML.Torch.Modeling;
using DistillML.Torch.OnnxExport;
using DistillML.Torch.OnnxExport.Proto;
using Microsoft.ML.OnnxRuntime;

namespace DistillML.Onnx.Tests.Export;

/// <summary>The export in ONNX Runtime's fused operators computes what the portable graph computes.</summary>
public sealed class OrtFusedExportTests(ExportedModels models) : IClassFixture<ExportedModels>
{
    private OnnxExportResult ExportFused(ModelFamily family, OnnxWeightFormat format, Action<OnnxExportOptions>? configure = null, string? name = null)
    {
        var options = new OnnxExportOptions { WeightFormat = format, OrtFusedOperators = true, Featurizer = new() { MaxSequenceLength = 384 } };
        configure?.Invoke(options);
        return models.Models[family].ExportOnnx(Path.Combine(models.Directory, name ?? $"fused-{family}-{format}", "model.onnx"), options);
    }

    private static Dictionary<string, int> OperatorCounts(string path)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        return model.Graph.Node.GroupBy(n => (n.Domain == "" ? "" : n.Domain + ".") + n.OpType).ToDictionary(g => g.Key, g => g.Count());
    }

    [Theory]
    [InlineData(ModelFamily.Bert, OnnxWeightFormat.Float32)]
    [InlineData(ModelFamily.DistilBert, OnnxWeightFormat.Float32)]
    [InlineData(ModelFamily.Electra, OnnxWeightFormat.Float32)]
    [InlineData(ModelFamily.Bert, OnnxWeightFormat.Float16)]
    [InlineData(ModelFamily.DistilBert, OnnxWeightFormat.Float16)]
    public void The_fused_float_graph_gives_the_portable_graphs_logits_with_padding(ModelFamily family, OnnxWeightFormat format)
    {
        var fused = ExportFused(family, format);
        using var session = new InferenceSession(fused.Path);
        foreach (var (batch, sequence, seed) in new[] { (3, 40, 31), (1, 7, 32), (4, 128, 33) })
        {
            var input = RandomBatch.Create(batch, sequence, TinyModels.VocabSize, seed);
            var portable = Logits.FromOnnx(models.Session(family, format), input);
            double difference = portable.MaxAbsDifference(Logits.FromOnnx(session, input));
            Assert.True(difference < 1e-4, $"{family} {format} [{batch}x{sequence}]: max |Δlogit| {difference:G3} (logits up to {portable.MaxAbsValue:F2})");
        }
    }

    [Theory]
    [InlineData(ModelFamily.Bert)]
    [InlineData(ModelFamily.DistilBert)]
    public void The_fused_graph_is_made_of_ort_transformer_operators(ModelFamily family)
    {
        var config = models.Models[family].Config;
        var ops = OperatorCounts(ExportFused(family, OnnxWeightFormat.Float32, name: $"ops-{family}").Path);
        Assert.Equal(1, ops["com.microsoft.EmbedLayerNormalization"]);
        Assert.Equal(config.NumLayers, ops["com.microsoft.Attention"]);
        Assert.Equal(2 * config.NumLayers, ops["com.microsoft.SkipLayerNormalization"]);
        Assert.Equal(config.NumLayers, ops["com.microsoft.BiasGelu"]);
        foreach (string gone in new[] { "Softmax", "Erf", "LayerNormalization", "Transpose", "Reshape" })
            Assert.False(ops.ContainsKey(gone), $"the fused graph still has {gone}");

        var int8 = OperatorCounts(ExportFused(family, OnnxWeightFormat.Int8, name: $"ops-int8-{family}").Path);
        Assert.Equal(config.NumLayers, int8["com.microsoft.QAttention"]);
        Assert.Equal(3 * config.NumLayers, int8["com.microsoft.DynamicQuantizeMatMul"]);
        Assert.False(int8.ContainsKey("MatMulInteger"));
        Assert.False(int8.ContainsKey("com.microsoft.EmbedLayerNormalization")); // int8 word embeddings are gathered and rescaled
    }

    [Theory]
    [InlineData(ModelFamily.Bert)]
    [InlineData(ModelFamily.DistilBert)]
    public void The_fused_int8_graph_tracks_the_portable_int8_graph(ModelFamily family)
    {
        var fused = ExportFused(family, OnnxWeightFormat.Int8);
        using var session = new InferenceSession(fused.Path);
        Assert.Equal("ort-fused", session.ModelMetadata.CustomMetadataMap[OnnxExporter.GraphKey]);
        var input = RandomBatch.Create(4, 64, TinyModels.VocabSize, seed: 41);
        var portable = Logits.FromOnnx(models.Session(family, OnnxWeightFormat.Int8), input);
        var float32 = Logits.FromOnnx(models.Session(family, OnnxWeightFormat.Float32), input);
        // Both quantise the same activations with the same scales (QAttention quantises the layer input once, as the
        // portable graph does for each of q, k, v); only the order of float operations differs, so the fused int8 graph
        // must sit far closer to the portable int8 graph than int8 sits to float32.
        double toPortable = portable.MaxAbsDifference(Logits.FromOnnx(session, input));
        double quantisationError = portable.MaxAbsDifference(float32);
        Assert.True(quantisationError > 0.01, $"int8 should differ from float32 here ({quantisationError:G3})");
        Assert.True(toPortable < quantisationError / 10, $"fused int8 vs portable int8 {toPortable:G3}; int8 vs float32 {quantisationError:G3}");
    }

    [Fact]
    public void Fused_int8_keeps_a_layers_attention_float32_only_with_all_of_q_k_v()
    {
        var model = models.Models[ModelFamily.Bert];
        var layers = OnnxExporter.QuantizableLayers(model.Config);
        var partial = Assert.Throws<ArgumentException>(() => ExportFused(ModelFamily.Bert, OnnxWeightFormat.Int8, o => o.Float32Layers.Add(layers[0]), "partial-qkv"));
        Assert.Contains(layers[1], partial.Message); // names the key it would have to keep too

        var whole = ExportFused(ModelFamily.Bert, OnnxWeightFormat.Int8, o => { foreach (var l in layers.Take(3)) o.Float32Layers.Add(l); }, "float-qkv");
        var ops = OperatorCounts(whole.Path);
        Assert.Equal(1, ops["com.microsoft.Attention"]);
        Assert.Equal(model.Config.NumLayers - 1, ops["com.microsoft.QAttention"]);
        using var session = new InferenceSession(whole.Path);
        Assert.NotEmpty(Logits.FromOnnx(session, RandomBatch.Create(2, 16, TinyModels.VocabSize, seed: 5)).Start);
    }

    [Fact]
    public void The_portable_export_says_so_and_imports_no_contrib_domain()
    {
        var path = models.Export(ModelFamily.Bert, OnnxWeightFormat.Float32).Path;
        Assert.Equal("portable", models.Session(ModelFamily.Bert, OnnxWeightFormat.Float32).ModelMetadata.CustomMetadataMap[OnnxExporter.GraphKey]);
        Assert.DoesNotContain(ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).OpsetImport, o => o.Domain == "com.microsoft");
        Assert.Contains(ModelProto.Parser.ParseFrom(File.ReadAllBytes(ExportFused(ModelFamily.Bert, OnnxWeightFormat.Float32, name: "domain").Path)).OpsetImport,
            o => o.Domain == "com.microsoft" && o.Version == 1);
    }
}
