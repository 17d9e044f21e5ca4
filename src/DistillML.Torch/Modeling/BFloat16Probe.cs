using System.Diagnostics;
using static TorchSharp.torch;

namespace DistillML.Torch.Modeling;

/// <summary>
/// Measures whether bfloat16 matmuls are actually faster than float32 ones on this CPU. A bf16 flag in /proc/cpuinfo
/// is not enough: on the AMD EPYC development machines oneDNN's bf16 matmul ran 5-7x faster than float32, while on an
/// Intel Xeon that also reports AVX512-BF16 (no AMX exposed) the same [8192 x 384] @ [384 x 1536] product ran at 155
/// GFLOP/s in bf16 against 275 in float32 (2 threads), so bf16 mixed precision made training no faster and inference
/// 2x slower. One probe per process, about 0.2 s.
/// </summary>
public static class BFloat16Probe
{
    /// <summary>bf16 must beat float32 by this factor to be chosen: casts cost time around every matmul (measured 10-25% of a bf16 step).</summary>
    public const double RequiredSpeedup = 1.25;

    private static readonly Lazy<BFloat16ProbeResult> Measured = new(Measure);

    /// <summary>The probe's result on this machine, measured on first use at torch's current thread count.</summary>
    public static BFloat16ProbeResult Result => Measured.Value;

    /// <summary>Whether a bf16/fp32 speed ratio justifies bfloat16 mixed precision.</summary>
    public static bool Wins(double bfloat16Gflops, double float32Gflops) =>
        float32Gflops > 0 && bfloat16Gflops / float32Gflops >= RequiredSpeedup;

    private static BFloat16ProbeResult Measure()
    {
        // A BERT feed-forward sized product (8 windows of 256 tokens, hidden 384, intermediate 1536): large enough for
        // the kernels' steady state, small enough to keep the probe short.
        double fp32 = Gflops(ScalarType.Float32), bf16 = Gflops(ScalarType.BFloat16);
        return new BFloat16ProbeResult(fp32, bf16, Wins(bf16, fp32));
    }

    private static double Gflops(ScalarType dtype)
    {
        const int m = 2048, k = 384, n = 1536, reps = 5;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var generator = new Generator(0); // torch's global generator is left as the caller seeded it
        var a = randn(m, k, generator: generator).to(dtype);
        var b = randn(k, n, generator: generator).to(dtype);
        a.matmul(b).Dispose(); // the first call creates oneDNN's kernels
        double best = double.MaxValue;
        for (int i = 0; i < reps; i++)
        {
            var watch = Stopwatch.StartNew();
            a.matmul(b).Dispose();
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }

        return 2.0 * m * k * n / best / 1e9;
    }
}

/// <summary>What <see cref="BFloat16Probe"/> measured: matmul throughput in float32 and bfloat16, and whether bf16 wins.</summary>
/// <param name="Float32Gflops">float32 matmul throughput, GFLOP/s.</param>
/// <param name="BFloat16Gflops">bfloat16 matmul throughput, GFLOP/s.</param>
/// <param name="BFloat16Wins">Whether bf16 is at least <see cref="BFloat16Probe.RequiredSpeedup"/> times faster.</param>
public sealed record BFloat16ProbeResult(double Float32Gflops, double BFloat16Gflops, bool BFloat16Wins)
{
    /// <summary>One line for logs, for example "bf16 matmul 0.56x float32 (155 vs 275 GFLOP/s)".</summary>
    public override string ToString() =>
        FormattableString.Invariant($"bf16 matmul {BFloat16Gflops / Float32Gflops:0.00}x float32 ({BFloat16Gflops:0} vs {Float32Gflops:0} GFLOP/s)");
}
