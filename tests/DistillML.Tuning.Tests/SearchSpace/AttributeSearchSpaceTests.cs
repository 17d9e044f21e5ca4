using DistillML.Tuning.SearchSpace;

namespace DistillML.Tuning.Tests.SearchSpace;

public class AttributeSearchSpaceTests
{
    private sealed class Inner
    {
        [Range(0.0, 0.5, 0.1)]
        public double Dropout { get; set; }
    }

    private sealed class Options
    {
        [Range(1, 12, 4)]
        public int Layers { get; set; }

        [Range(1e-5, 1e-3, 1e-4, true)]
        public double LearningRate { get; set; }

        [Choice(32, 64, Ordered = true)]
        public int HeadSize { get; set; }

        [BooleanChoice(true)]
        public bool UseLayerNorm { get; set; }

        [Option]
        public Inner Regularization { get; set; } = new();

        public string NotSearched { get; set; } = "unchanged";
    }

    [Fact]
    public void Attributes_on_an_options_class_build_the_matching_dimensions()
    {
        var space = Tuning.SearchSpace.SearchSpace.FromOptions<Options>();
        var dims = space.Dimensions.ToDictionary(d => d.Name);
        Assert.Equal(5, dims.Count);
        Assert.IsType<IntegerRange>(dims["Layers"]);
        Assert.True(((FloatRange)dims["LearningRate"]).LogScale);
        Assert.True(((ChoiceDimension)dims["HeadSize"]).Ordered);
        Assert.IsType<NestedGroup>(dims["Regularization"]);
        Assert.Equal(5, space.FeatureCount);
    }

    [Fact]
    public void Sampled_parameter_binds_back_to_the_options_class()
    {
        var space = Tuning.SearchSpace.SearchSpace.FromOptions<Options>();
        var options = space.Default.AsType<Options>();
        Assert.Equal(4, options.Layers);
        Assert.Equal(1e-4, options.LearningRate, 12);
        Assert.Equal(32, options.HeadSize);
        Assert.True(options.UseLayerNorm);
        Assert.Equal(0.1, options.Regularization.Dropout, 12);
        Assert.Equal("unchanged", options.NotSearched);
    }
}
