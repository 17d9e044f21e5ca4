using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Storage.Serialization;

namespace DistillML.Tuning.Storage.Tests;

public sealed class ParameterJsonTests
{
    private static KeyValuePair<string, object> P(string key, object value) => new(key, value);

    [Fact]
    public void A_parameter_round_trips_with_its_value_types_order_and_nested_groups()
    {
        var nested = new Parameter([P("heads", 6), P("dropout", 0.1)]);
        var parameter = new Parameter([P("layers", 4), P("lr", 3e-5), P("act", "gelu"), P("tie", true), P("big", 5_000_000_000L), P("student", nested)]);

        var back = ParameterJson.Deserialize(ParameterJson.Serialize(parameter));

        Assert.Equal(parameter, back);
        Assert.Equal(["layers", "lr", "act", "tie", "big", "student"], back.Keys);
        Assert.IsType<int>(back["layers"]);
        Assert.IsType<long>(back["big"]);
        Assert.IsType<Parameter>(back["student"]);
    }

    [Theory]
    [InlineData(4.0)]
    [InlineData(-0.0)]
    [InlineData(1e300)]
    [InlineData(0.1 + 0.2)]
    [InlineData(double.NaN)]
    [InlineData(double.NegativeInfinity)]
    public void Doubles_come_back_as_the_same_doubles(double value)
    {
        var back = ParameterJson.Deserialize(ParameterJson.Serialize(new Parameter([P("v", value)])));

        var d = Assert.IsType<double>(back["v"]);
        Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(d));
    }

    [Fact]
    public void Unsupported_values_are_refused_with_their_name()
    {
        var e = Assert.Throws<NotSupportedException>(() => ParameterJson.Serialize(new Parameter([P("when", DateTime.UnixEpoch)])));
        Assert.Contains("'when'", e.Message);
    }
}
