using DistillML.Deployment;
using DistillML.Text.Features;
using DistillML.TestSupport;
using DistillML.Torch.OnnxExport;

namespace DistillML.Tests.Deployment;

[Collection(TinyTeacherCollection.Name)]
public sealed class Int8RecipeSearchTests(TinyTeacherFixture fixture)
{
    private Int8RecipeSearchOptions Options(double maxLoss, double maxSize) => new()
    {
        MaxF1Loss = maxLoss, MaxSizeFraction = maxSize,
        Featurizer = new FeaturizerOptions { VocabPath = SharedAssets.BertVocab, MaxSequenceLength = 128, DocStride = 32, MaxQueryLength = 32 },
    };

    [Fact]
    public void Plain_int8_within_the_budget_is_chosen_without_measuring_layers()
    {
        var result = Int8RecipeSearch.Run(fixture.Teacher, fixture.Train.Take(40).ToList(), Path.Combine(fixture.Root, "int8-generous"), Options(100, 1));
        Assert.Equal(["int8", "int8, float32 embeddings"], result.Variants.Select(v => v.Description));
        Assert.Same(result.Variants[0], result.Chosen);
        Assert.Empty(result.Chosen.Float32Layers);
        var export = result.ToExportOptions(Options(100, 1).Featurizer);
        Assert.Equal(OnnxWeightFormat.Int8, export.WeightFormat);
        Assert.True(export.QuantizeEmbeddings);
        Assert.True(result.Chosen.Megabytes < result.Float32Megabytes);
    }

    [Fact]
    public void Over_the_budget_every_layer_is_measured_and_the_choice_never_loses_to_plain_int8_or_breaks_the_size_limit()
    {
        var questions = fixture.Train.Take(40).ToList();
        var result = Int8RecipeSearch.Run(fixture.Teacher, questions, Path.Combine(fixture.Root, "int8-strict"), Options(0, 0.5));
        var plain = result.Variants[0];
        Assert.True(result.Chosen.F1 >= plain.F1);
        Assert.True(result.Chosen.Megabytes <= 0.5 * result.Float32Megabytes);
        if (result.Float32F1 - plain.F1 > 0) // the search only measures layers when plain int8 loses something
        {
            var layers = OnnxExporter.QuantizableLayers(fixture.Teacher.Config);
            Assert.Equal(layers, result.Variants.Skip(2).Take(layers.Count).Select(v => v.Float32Layers.Single()));
            Assert.All(result.Chosen.Float32Layers, layer => Assert.Contains(layer, layers));
        }
    }

    [Fact]
    public void An_empty_calibration_set_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Int8RecipeSearch.Run(fixture.Teacher, [], Path.Combine(fixture.Root, "int8-empty")));
        Assert.Contains("calibration", error.Message);
    }
}
