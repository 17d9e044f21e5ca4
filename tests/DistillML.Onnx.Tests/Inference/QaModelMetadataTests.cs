using DistillML.Text.Deployment;

namespace DistillML.Onnx.Tests.Inference;

public sealed class QaModelMetadataTests
{
    private static readonly QaModelMetadata Sample = new()
    {
        Architecture = "DistilBertForQuestionAnswering", Family = "distilbert", ParameterCount = 123, VocabHash = "abc", VocabSize = 60,
        MaxPositionEmbeddings = 512, MaxSequenceLength = 384, DocStride = 128, MaxQueryLength = 64, LowerCase = true,
        WeightFormat = "int8", ConfigJson = "{}",
    };

    [Fact]
    public void Dictionary_round_trip_keeps_every_field()
    {
        Assert.Equal(Sample, QaModelMetadata.FromDictionary(Sample.ToDictionary(), "m.onnx"));
    }

    [Fact]
    public void A_missing_key_is_named_with_the_file()
    {
        var properties = Sample.ToDictionary().Where(p => p.Key != QaModelMetadata.DocStrideKey).ToDictionary();
        var error = Assert.Throws<InvalidDataException>(() => QaModelMetadata.FromDictionary(properties, "m.onnx"));
        Assert.Contains("m.onnx", error.Message);
        Assert.Contains("distillml.doc_stride", error.Message);
    }

    [Theory]
    [InlineData(QaModelMetadata.MaxSequenceLengthKey, "lots")]
    [InlineData(QaModelMetadata.MaxQueryLengthKey, "-1")]
    [InlineData(QaModelMetadata.LowerCaseKey, "yes")]
    public void A_bad_value_is_named_with_its_key(string key, string value)
    {
        var properties = Sample.ToDictionary().ToDictionary();
        properties[key] = value;
        var error = Assert.Throws<InvalidDataException>(() => QaModelMetadata.FromDictionary(properties, "m.onnx"));
        Assert.Contains($"'{key}' = '{value}'", error.Message);
    }
}
