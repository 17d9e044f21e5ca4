using DistillML.Torch.Checkpoints;
using DistillML.Torch.Modeling;
using DistillML.Torch.OnnxExport;
using TorchSharp;

namespace DistillML.Onnx.Tests.Import;

public sealed class OnnxImportTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("distillml-import-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData(ModelFamily.Bert)]
    [InlineData(ModelFamily.DistilBert)]
    public void Export_then_import_gives_the_same_tensors_bit_for_bit_and_the_same_config(ModelFamily family)
    {
        string vocab = TinyModels.WriteVocabulary(dir);
        using var model = TinyModels.Create(family, vocab);
        var config = model.Config with { LayerNormEps = 1e-12 };
        model.ExportOnnx(Path.Combine(dir, "model.onnx"));

        var imported = OnnxEncoderImport.Read(Path.Combine(dir, "model.onnx"));

        Assert.True(imported.HasQaHead);
        Assert.Equal(config with { HiddenDropout = imported.Config.HiddenDropout, AttentionDropout = imported.Config.AttentionDropout, QaDropout = imported.Config.QaDropout, InitializerRange = imported.Config.InitializerRange }, imported.Config);
        var expected = model.state_dict();
        Assert.Equal(expected.Keys.Order(), imported.Tensors.Keys.Order());
        foreach (var (name, tensor) in expected)
        {
            Assert.Equal(tensor.shape, imported.Tensors[name].Shape);
            Assert.True(tensor.data<float>().ToArray().AsSpan().SequenceEqual(imported.Tensors[name].Values), $"{name} differs");
        }
    }

    [Fact]
    public void Imported_checkpoint_loads_and_computes_the_exported_models_logits()
    {
        string vocab = TinyModels.WriteVocabulary(dir);
        using var model = TinyModels.Create(ModelFamily.Bert, vocab);
        model.ExportOnnx(Path.Combine(dir, "model.onnx"));
        BertCheckpoint.ImportOnnx(Path.Combine(dir, "model.onnx"), vocab, Path.Combine(dir, "imported"));

        using var loaded = BertQaModel.Load(Path.Combine(dir, "imported"));
        Assert.True(File.Exists(Path.Combine(dir, "imported", TokenizerConfig.FileName)));
        Assert.Equal(true, TokenizerConfig.ReadLowerCase(Path.Combine(dir, "imported")));
        var ids = torch.randint(5, TinyModels.VocabSize, [2, 12], dtype: torch.ScalarType.Int64);
        var mask = torch.ones(2, 12, dtype: torch.ScalarType.Int64);
        using var noGrad = torch.no_grad();
        Assert.True(model.call(ids, mask, null).StartLogits.equal(loaded.call(ids, mask, null).StartLogits).all().item<bool>());
    }

    [Fact]
    public void Float16_exports_import_as_their_float16_values()
    {
        string vocab = TinyModels.WriteVocabulary(dir);
        using var model = TinyModels.Create(ModelFamily.Bert, vocab);
        model.ExportOnnx(Path.Combine(dir, "model.onnx"), new OnnxExportOptions { WeightFormat = OnnxWeightFormat.Float16 });
        var imported = OnnxEncoderImport.Read(Path.Combine(dir, "model.onnx"));
        var w = model.state_dict()["bert.encoder.layer.1.intermediate.dense.weight"].data<float>().ToArray();
        Assert.Equal(w.Select(v => (float)(Half)v), imported.Tensors["bert.encoder.layer.1.intermediate.dense.weight"].Values);
    }

    [Fact]
    public void Int8_exports_are_refused_naming_a_quantised_node()
    {
        string vocab = TinyModels.WriteVocabulary(dir);
        using var model = TinyModels.Create(ModelFamily.Bert, vocab);
        model.ExportOnnx(Path.Combine(dir, "model.onnx"), new OnnxExportOptions { WeightFormat = OnnxWeightFormat.Int8 });
        var e = Assert.Throws<InvalidDataException>(() => OnnxEncoderImport.Read(Path.Combine(dir, "model.onnx")));
        Assert.Contains("int8-quantised", e.Message);
        Assert.Contains("DynamicQuantizeLinear", e.Message);
    }

    [Fact]
    public void A_graph_with_an_unknown_operator_is_refused_naming_the_node()
    {
        string vocab = TinyModels.WriteVocabulary(dir);
        using var model = TinyModels.Create(ModelFamily.Bert, vocab);
        string path = Path.Combine(dir, "model.onnx");
        model.ExportOnnx(path);
        var proto = DistillML.Torch.OnnxExport.Proto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        var softmax = proto.Graph.Node.First(n => n.OpType == "Softmax");
        softmax.OpType = "Hardmax";
        softmax.Name = "layer0/attention/probabilities";
        File.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(proto));
        var e = Assert.Throws<InvalidDataException>(() => OnnxEncoderImport.Read(path));
        Assert.Contains("'layer0/attention/probabilities' (Hardmax)", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void A_file_that_is_not_onnx_is_refused_naming_it()
    {
        string path = Path.Combine(dir, "not.onnx");
        File.WriteAllText(path, "hello, not protobuf");
        var e = Assert.Throws<InvalidDataException>(() => OnnxEncoderImport.Read(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void A_vocabulary_of_another_size_is_refused()
    {
        string vocab = TinyModels.WriteVocabulary(dir);
        using var model = TinyModels.Create(ModelFamily.Bert, vocab);
        model.ExportOnnx(Path.Combine(dir, "model.onnx"));
        File.WriteAllLines(Path.Combine(dir, "short.txt"), File.ReadAllLines(vocab).Take(10));
        var e = Assert.Throws<InvalidDataException>(() => BertCheckpoint.ImportOnnx(Path.Combine(dir, "model.onnx"), Path.Combine(dir, "short.txt"), Path.Combine(dir, "out")));
        Assert.Contains("10 tokens", e.Message);
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
    }
}
