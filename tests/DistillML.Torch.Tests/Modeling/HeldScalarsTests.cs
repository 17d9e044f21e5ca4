using DistillML.Torch.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace DistillML.Torch.Tests.Modeling;

public sealed class HeldScalarsTests
{
    static void Same(Tensor actual, Tensor expected) => Assert.True(actual.allclose(expected, rtol: 0, atol: 0));

    [Fact]
    public void Each_helper_computes_exactly_what_the_operator_it_replaces_computes()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(7);
        var a = randn([4, 5], generator: generator);
        var b = randn([4, 5], generator: generator);
        var mask = a.gt(0.5);
        Same(a.Plus(b), a + b);
        Same(a.Minus(b), a - b);
        Same(a.Times(0.37), a * 0.37);
        Same(a.Over(3.0), a / 3.0);
        Same(a.PlusValue(-2.5), a + -2.5);
        Same(a.Filled(mask, -1e4), a.masked_fill(mask, -1e4));
        Same(a.to_type(ScalarType.BFloat16).Plus(b.to_type(ScalarType.BFloat16)), a.to_type(ScalarType.BFloat16) + b.to_type(ScalarType.BFloat16));
    }
}
