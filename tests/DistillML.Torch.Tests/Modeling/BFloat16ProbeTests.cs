using DistillML.Torch.Modeling;
using TorchSharp;

namespace DistillML.Torch.Tests.Modeling;

/// <summary>The default precision follows what bf16 matmuls measure on the machine, not the CPU's flags alone.</summary>
public class BFloat16ProbeTests
{
    [Theory]
    // bf16 GFLOP/s, fp32 GFLOP/s -> bf16 chosen
    [InlineData(800, 130, true)]   // AMD EPYC with AVX512-BF16: oneDNN's bf16 kernels 5-7x faster
    [InlineData(155, 275, false)]  // Intel Xeon reporting AVX512-BF16 without AMX: half the fp32 rate
    [InlineData(120, 100, false)]  // a 1.2x matmul gain is eaten by the casts around every matmul
    [InlineData(125, 100, true)]
    [InlineData(100, 0, false)]
    public void Bf16_is_chosen_only_when_its_matmuls_are_clearly_faster(double bf16, double fp32, bool wins) =>
        Assert.Equal(wins, BFloat16Probe.Wins(bf16, fp32));

    [Fact]
    public void The_probe_measures_both_precisions_once_and_the_default_follows_it()
    {
        var result = BFloat16Probe.Result;
        Assert.True(result.Float32Gflops > 0 && result.BFloat16Gflops > 0, result.ToString());
        Assert.Same(result, BFloat16Probe.Result);
        Assert.Equal(BFloat16Probe.Wins(result.BFloat16Gflops, result.Float32Gflops), result.BFloat16Wins);

        var saved = PrecisionDefaults.Preferred;
        PrecisionDefaults.Preferred = null;
        try
        {
            var resolved = PrecisionDefaults.Resolve(null, torch.CPU);
            if (!result.BFloat16Wins) Assert.Equal(Precision.Float32, resolved); // a bf16 flag alone never picks bf16
            Assert.StartsWith(resolved == Precision.BFloat16Mixed ? "bf16 mixed" : "float32", PrecisionDefaults.DescribeCpuChoice());
        }
        finally { PrecisionDefaults.Preferred = saved; }
    }
}
