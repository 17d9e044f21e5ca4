using DistillML.Torch.Modeling;
using DistillML.Torch.OnnxExport;
using Microsoft.ML.OnnxRuntime;

namespace DistillML.Onnx.Tests.Export;

public sealed class Int8LayerChoiceTests(ExportedModels models)
    : IClassFixture<ExportedModels>
{
    [Theory]
    [InlineData(ModelFamily.Bert)]
    [InlineData(ModelFamily.DistilBert)]
    public void An_int8_export_with_every_layer_and_the_embeddings_kept_float32_computes_what_the_float32_export_does(ModelFamily family)
    {
        var model = models.Models[family];
        var options = new OnnxExportOptions { WeightFormat = OnnxWeightFormat.Int8, QuantizeEmbeddings = false, Featurizer = new() { MaxSequenceLength = 384 } };
        foreach (var layer in OnnxExporter.QuantizableLayers(model.Config)) options.Float32Layers.Add(layer);
        var result = model.ExportOnnx(Path.Combine(models.Directory, $"all-float-{family}", "model.onnx"), options);
        using var session = new InferenceSession(result.Path);
        var input = RandomBatch.Create(3, 40, TinyModels.VocabSize, seed: 21);
        var expected = Logits.FromOnnx(models.Session(family, OnnxWeightFormat.Float32), input);
        Assert.Equal(0, expected.MaxAbsDifference(Logits.FromOnnx(session, input)));
        Assert.Equal("int8", session.ModelMetadata.CustomMetadataMap["distillml.weight_format"]);
        Assert.Equal("fp32", session.ModelMetadata.CustomMetadataMap[OnnxExporter.Int8EmbeddingsKey]);
        Assert.Equal(string.Join(',', options.Float32Layers.Order(StringComparer.Ordinal)), session.ModelMetadata.CustomMetadataMap[OnnxExporter.Int8Float32LayersKey]);
    }

    [Fact]
    public void Keeping_one_layer_float32_grows_the_file_by_that_layers_weights_and_records_it_in_the_metadata()
    {
        var model = models.Models[ModelFamily.Bert];
        var plain = models.Export(ModelFamily.Bert, OnnxWeightFormat.Int8);
        string layer = OnnxExporter.QuantizableLayers(model.Config)[4]; // layer 0's feed-forward in
        var options = new OnnxExportOptions { WeightFormat = OnnxWeightFormat.Int8, Featurizer = new() { MaxSequenceLength = 384 } };
        options.Float32Layers.Add(layer);
        var result = model.ExportOnnx(Path.Combine(models.Directory, "one-float", "model.onnx"), options);
        long weights = (long)model.Config.HiddenSize * model.Config.IntermediateSize;
        // float32 weights (4 bytes) replace int8 weights (1 byte), a float32 scale and an int8 zero point per output channel.
        Assert.Equal(weights * 3.0 - model.Config.IntermediateSize * 5, result.FileBytes - plain.FileBytes, 2000.0);
        using var session = new InferenceSession(result.Path);
        Assert.Equal(layer, session.ModelMetadata.CustomMetadataMap[OnnxExporter.Int8Float32LayersKey]);
    }

    [Fact]
    public void QuantizableLayers_lists_six_linear_layers_per_transformer_layer_by_hugging_face_name()
    {
        var layers = OnnxExporter.QuantizableLayers(new BertConfig { NumLayers = 2 });
        Assert.Equal(12, layers.Count);
        Assert.Equal("bert.encoder.layer.0.attention.self.query", layers[0]);
        Assert.Equal("bert.encoder.layer.1.output.dense", layers[^1]);
        Assert.Equal("distilbert.transformer.layer.0.ffn.lin2", OnnxExporter.QuantizableLayers(new BertConfig { Family = ModelFamily.DistilBert, NumLayers = 1 })[5]);
    }

    [Fact]
    public void A_float32_layer_the_model_does_not_have_is_refused_by_name()
    {
        var options = new OnnxExportOptions { WeightFormat = OnnxWeightFormat.Int8 };
        options.Float32Layers.Add("bert.encoder.layer.9.output.dense");
        var error = Assert.Throws<ArgumentException>(() => models.Models[ModelFamily.Bert].ExportOnnx(Path.Combine(models.Directory, "bad", "model.onnx"), options));
        Assert.Contains("bert.encoder.layer.9.output.dense", error.Message);
        Assert.False(File.Exists(Path.Combine(models.Directory, "bad", "model.onnx")));
    }
}
