using DistillML.Text.Deployment;
using DistillML.Text.Features;
using DistillML.Torch.Modeling;
using DistillML.Torch.OnnxExport;
using DistillML.Torch.OnnxExport.Proto;
using Microsoft.ML.OnnxRuntime;

namespace DistillML.Onnx.Tests.Export;

public sealed class ExportMetadataTests(ExportedModels models) : IClassFixture<ExportedModels>
{
    [Theory]
    [InlineData(ModelFamily.Bert, OnnxWeightFormat.Float32, "BertForQuestionAnswering", "fp32")]
    [InlineData(ModelFamily.DistilBert, OnnxWeightFormat.Int8, "DistilBertForQuestionAnswering", "int8")]
    [InlineData(ModelFamily.DistilBert, OnnxWeightFormat.Float16, "DistilBertForQuestionAnswering", "fp16")]
    public void Metadata_written_at_export_reads_back_through_onnx_runtime(ModelFamily family, OnnxWeightFormat format, string architecture, string weights)
    {
        var export = models.Export(family, format);
        var session = models.Session(family, format);
        var read = QaModelMetadata.FromDictionary(session.ModelMetadata.CustomMetadataMap, export.Path);

        Assert.Equal(export.Metadata, read);
        Assert.Equal(architecture, read.Architecture);
        Assert.Equal(weights, read.WeightFormat);
        Assert.Equal(models.Models[family].ParameterCount, read.ParameterCount);
        Assert.Equal(WordPieceVocabulary.Load(models.VocabPath).Hash(), read.VocabHash);
        Assert.Equal((384, 128, 64, true), (read.MaxSequenceLength, read.DocStride, read.MaxQueryLength, read.LowerCase));
        Assert.Equal(BertConfigJson.ToJson(models.Models[family].Config).ToJsonString(), System.Text.Json.Nodes.JsonNode.Parse(read.ConfigJson)!.ToJsonString());
        Assert.Equal("DistillML", session.ModelMetadata.ProducerName);
        Assert.Equal(1, session.ModelMetadata.Version);
    }

    [Theory]
    [InlineData(ModelFamily.Bert, new[] { "input_ids", "attention_mask", "token_type_ids" })]
    [InlineData(ModelFamily.DistilBert, new[] { "input_ids", "attention_mask" })]
    public void Inputs_are_int64_with_symbolic_batch_and_sequence_axes(ModelFamily family, string[] names)
    {
        var session = models.Session(family, OnnxWeightFormat.Float32);
        Assert.Equal(names, session.InputNames);
        Assert.Equal(["start_logits", "end_logits"], session.OutputNames);
        foreach (var input in session.InputMetadata.Values)
        {
            Assert.Equal(typeof(long), input.ElementType);
            Assert.Equal(["batch", "sequence"], input.SymbolicDimensions);
        }
        Assert.All(session.OutputMetadata.Values, o => Assert.Equal(typeof(float), o.ElementType));
    }

    [Fact]
    public void Model_proto_declares_opset_17_ir_8_and_producer()
    {
        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(models.Export(ModelFamily.Bert, OnnxWeightFormat.Float32).Path));
        Assert.Equal(8, proto.IrVersion);
        Assert.Equal(17, Assert.Single(proto.OpsetImport).Version);
        Assert.Equal("DistillML", proto.ProducerName);
        Assert.Contains(proto.Graph.Node, n => n.OpType == "LayerNormalization");
        Assert.Contains(proto.Graph.Node, n => n.OpType == "Erf");
        Assert.Contains(proto.Graph.Initializer, t => t.Name == "bert.encoder.layer.1.attention.self.query.weight.transposed");
    }

    [Fact]
    public void Int8_export_multiplies_in_integers_and_float16_export_stores_half_weights()
    {
        var int8 = ModelProto.Parser.ParseFrom(File.ReadAllBytes(models.Export(ModelFamily.Bert, OnnxWeightFormat.Int8).Path));
        Assert.Equal(2 * 6, int8.Graph.Node.Count(n => n.OpType == "MatMulInteger"));
        Assert.Equal(2 * 6, int8.Graph.Node.Count(n => n.OpType == "DynamicQuantizeLinear"));
        var fp16 = ModelProto.Parser.ParseFrom(File.ReadAllBytes(models.Export(ModelFamily.Bert, OnnxWeightFormat.Float16).Path));
        Assert.All(fp16.Graph.Initializer.Where(t => t.Name.EndsWith(".weight", StringComparison.Ordinal)),
            t => Assert.Equal((int)TensorProto.Types.DataType.Float16, t.DataType));
    }

    [Fact]
    public void Lossy_formats_make_smaller_files()
    {
        long fp32 = models.Export(ModelFamily.Bert, OnnxWeightFormat.Float32).FileBytes;
        long fp16 = models.Export(ModelFamily.Bert, OnnxWeightFormat.Float16).FileBytes;
        long int8 = models.Export(ModelFamily.Bert, OnnxWeightFormat.Int8).FileBytes;
        Assert.True(fp16 < fp32 * 0.6, $"fp16 {fp16} B vs fp32 {fp32} B");
        // The toy model is mostly float32 position embeddings (512 x 32), which int8 leaves as they are.
        Assert.True(int8 < fp32 * 0.8, $"int8 {int8} B vs fp32 {fp32} B");
    }
}
