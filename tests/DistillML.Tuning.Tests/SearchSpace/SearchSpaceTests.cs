using DistillML.Tuning.SearchSpace;

namespace DistillML.Tuning.Tests.SearchSpace;

public class SearchSpaceTests
{
    [Fact]
    public void Integer_range_round_trips_every_value_through_the_unit_cube()
    {
        var space = Tuning.SearchSpace.SearchSpace.Create().AddInteger("n", -3, 7).AddInteger("log", 1, 100, logScale: true).Build();
        for (var v = -3; v <= 7; v++)
        {
            var p = new Parameter(new Dictionary<string, object> { ["n"] = v, ["log"] = 10 });
            Assert.Equal(v, space.SampleFromFeatureSpace(space.MappingToFeatureSpace(p)).GetInt32("n"));
        }

        for (var v = 1; v <= 100; v++)
        {
            var p = new Parameter(new Dictionary<string, object> { ["n"] = 0, ["log"] = v });
            Assert.Equal(v, space.SampleFromFeatureSpace(space.MappingToFeatureSpace(p)).GetInt32("log"));
        }
    }

    [Fact]
    public void Integer_range_bins_of_the_unit_cube_have_equal_width()
    {
        var range = new IntegerRange("n", 1, 4);
        Assert.Equal(1, range.FromFeatures(new[] { 0.0 }));
        Assert.Equal(1, range.FromFeatures(new[] { 0.249 }));
        Assert.Equal(2, range.FromFeatures(new[] { 0.25 }));
        Assert.Equal(4, range.FromFeatures(new[] { 1.0 }));
    }

    [Fact]
    public void Float_log_range_maps_the_geometric_midpoint_to_one_half()
    {
        var range = new FloatRange("lr", 1e-5, 1e-3, logScale: true);
        var f = new double[1];
        range.ToFeatures(1e-4, f);
        Assert.Equal(0.5, f[0], 12);
        Assert.Equal(1e-4, (double)range.FromFeatures(new[] { 0.5 }), 15);
        Assert.Equal(1e-4, (double)range.Default, 15);
    }

    [Fact]
    public void Unordered_choice_is_one_hot_and_the_largest_coordinate_wins()
    {
        var choice = new ChoiceDimension("act", new object[] { "relu", "gelu", "tanh" });
        Assert.Equal(3, choice.FeatureCount);
        var f = new double[3];
        choice.ToFeatures("gelu", f);
        Assert.Equal(new[] { 0.0, 1.0, 0.0 }, f);
        Assert.Equal("tanh", choice.FromFeatures(new[] { 0.2, 0.5, 0.9 }));
    }

    [Fact]
    public void Ordered_choice_takes_one_coordinate_and_matches_numbers_of_any_type()
    {
        var choice = new ChoiceDimension("size", new object[] { 32, 64 }, ordered: true);
        Assert.Equal(1, choice.FeatureCount);
        var f = new double[1];
        choice.ToFeatures(64L, f);
        Assert.Equal(0.75, f[0]);
        Assert.Equal(32, choice.FromFeatures(new[] { 0.49 }));
    }

    [Fact]
    public void Min_greater_than_max_is_rejected_with_a_clear_message()
    {
        var e = Assert.Throws<ArgumentException>(() => new IntegerRange("layers", 6, 1));
        Assert.Contains("'layers'", e.Message);
        Assert.Contains("greater than max", e.Message);
        Assert.Throws<ArgumentException>(() => new FloatRange("x", 2, 1));
    }

    [Fact]
    public void Empty_float_range_and_empty_choice_are_rejected()
    {
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => new FloatRange("x", 1, 1)).Message);
        Assert.Contains("no values", Assert.Throws<ArgumentException>(() => new ChoiceDimension("c", Array.Empty<object>())).Message);
    }

    [Fact]
    public void Log_scale_with_non_positive_min_is_rejected()
    {
        Assert.Contains("log scale needs min > 0", Assert.Throws<ArgumentException>(() => new FloatRange("lr", 0, 1, logScale: true)).Message);
        Assert.Contains("log scale needs min > 0", Assert.Throws<ArgumentException>(() => new IntegerRange("n", 0, 10, logScale: true)).Message);
    }

    [Fact]
    public void Duplicate_names_and_init_outside_the_range_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => Tuning.SearchSpace.SearchSpace.Create().AddInteger("a", 1, 2).AddFloat("a", 0, 1).Build());
        Assert.Contains("outside", Assert.Throws<ArgumentException>(() => new FloatRange("x", 0, 1, init: 2)).Message);
    }

    [Fact]
    public void Conditional_group_is_present_only_when_its_parent_takes_an_activating_value()
    {
        var adam = Tuning.SearchSpace.SearchSpace.Create().AddFloat("beta1", 0.8, 0.99).Build();
        var space = Tuning.SearchSpace.SearchSpace.Create()
            .AddChoice("optimizer", "sgd", "adam")
            .AddConditionalGroup("adam", adam, "optimizer", "adam")
            .Build();
        Assert.Equal(3, space.FeatureCount);
        var withAdam = space.SampleFromFeatureSpace(new[] { 0.1, 0.9, 0.5 });
        Assert.Equal("adam", withAdam.GetString("optimizer"));
        Assert.InRange(withAdam.GetGroup("adam").GetDouble("beta1"), 0.8, 0.99);
        var withSgd = space.SampleFromFeatureSpace(new[] { 0.9, 0.1, 0.5 });
        Assert.False(withSgd.ContainsKey("adam"));
        Assert.Equal(3, space.MappingToFeatureSpace(withSgd).Length);
    }

    [Fact]
    public void Snap_returns_coordinates_of_the_nearest_valid_parameter()
    {
        var space = Tuning.SearchSpace.SearchSpace.Create().AddInteger("n", 0, 1).AddFloat("x", 0, 1).Build();
        Assert.Equal(new[] { 0.75, 0.3 }, space.Snap(new[] { 0.6, 0.3 }));
    }

    [Fact]
    public void Default_parameter_uses_each_dimension_init()
    {
        var d = StudentSearchSpace.DistilBertLike().Default;
        Assert.Equal(4, d.GetInt32("layers"));
        Assert.Equal(5e-5, d.GetDouble("learning_rate"), 12);
        Assert.Equal(32, d.GetInt32("head_size"));
    }
}
