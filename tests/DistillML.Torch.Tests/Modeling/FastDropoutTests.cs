using DistillML.Torch.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace DistillML.Torch.Tests.Modeling;

public class FastDropoutTests
{
    [Theory]
    [InlineData(ScalarType.Float32, 0.1)]
    [InlineData(ScalarType.BFloat16, 0.1)]
    [InlineData(ScalarType.Float32, 0.5)]
    public void Drops_the_requested_share_and_keeps_the_expectation(ScalarType dtype, double p)
    {
        torch.manual_seed(1);
        using var dropout = new FastDropout(p);
        dropout.train();
        var x = torch.ones(400, 1000).to_type(dtype);
        var y = dropout.call(x).to_type(ScalarType.Float64);
        var (keep, scale) = DropoutMask.KeepRule(dtype, p);
        double dropped = y.eq(0).to_type(ScalarType.Float64).mean().item<double>();
        double expectedDrop = 1 - keep / 65536.0;
        Assert.True(Math.Abs(expectedDrop - p) < 0.0015, $"effective p {expectedDrop}");
        // 400,000 draws: the binomial standard deviation of the share is below 0.001.
        Assert.True(Math.Abs(dropped - expectedDrop) < 0.004, $"dropped {dropped}, expected {expectedDrop}");
        Assert.True(Math.Abs(y.mean().item<double>() - 1) < 0.006, $"mean {y.mean().item<double>()}");
        Assert.Equal(scale, y.max().item<double>(), 6);
        Assert.True(Math.Abs(keep * scale / 65536.0 - 1) < 2.0 / 65536, $"keep probability x scale = {keep * scale / 65536.0}");
    }

    [Fact]
    public void Is_the_identity_in_eval_mode_and_at_probability_zero()
    {
        var x = torch.randn(30, 40);
        using var dropout = new FastDropout(0.3);
        dropout.eval();
        Assert.True(dropout.call(x).equal(x).all().item<bool>());
        using var none = new FastDropout(0);
        none.train();
        Assert.True(none.call(x).equal(x).all().item<bool>());
    }

    [Fact]
    public void Masks_repeat_under_the_same_seed_and_differ_between_calls()
    {
        using var dropout = new FastDropout(0.2);
        dropout.train();
        var x = torch.ones(64, 64);
        torch.manual_seed(9);
        var first = dropout.call(x);
        var second = dropout.call(x);
        torch.manual_seed(9);
        Assert.True(dropout.call(x).equal(first).all().item<bool>());
        Assert.False(second.equal(first).all().item<bool>());
    }

    [Fact]
    public void Gradient_is_the_mask()
    {
        torch.manual_seed(2);
        using var dropout = new FastDropout(0.25);
        dropout.train();
        var x = torch.randn(50, 50).requires_grad_();
        var y = dropout.call(x);
        y.sum().backward();
        var expected = y.detach() / x.detach();
        Assert.True((x.grad!.masked_select(y.detach().ne(0)) - expected.masked_select(y.detach().ne(0))).abs().max().item<float>() < 1e-5);
        Assert.True(x.grad!.masked_select(y.detach().eq(0)).abs().max().item<float>() == 0);
    }

    [Fact]
    public void Drops_are_spread_evenly_over_positions()
    {
        // The 16-bit draws of one hash feed four neighbouring elements: each of the four lanes must drop p of its elements.
        torch.manual_seed(3);
        using var dropout = new FastDropout(0.1);
        dropout.train();
        var lanes = dropout.call(torch.ones(100_000, 4)).eq(0).to_type(ScalarType.Float64).mean(new long[] { 0 }).data<double>().ToArray();
        Assert.All(lanes, share => Assert.InRange(share, 0.095, 0.105));
    }
}
