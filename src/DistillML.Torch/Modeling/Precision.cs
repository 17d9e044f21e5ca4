namespace DistillML.Torch.Modeling;

/// <summary>The arithmetic a model's forward (and so backward) pass runs in.</summary>
public enum Precision
{
    /// <summary>Everything in float32. The reference, and the default.</summary>
    Float32,

    /// <summary>
    /// bfloat16 mixed precision, as PyTorch's <c>torch.autocast("cpu", torch.bfloat16)</c> does it: the matmuls (every
    /// Linear and the attention products) run on bfloat16 copies of their inputs and weights, while the master weights,
    /// the residual stream, LayerNorm, the QA head, the loss and the optimizer stay float32. Autograd carries the casts,
    /// so gradients reach the float32 weights. On CPUs with AVX512-BF16 or AMX, oneDNN can run these matmuls several
    /// times faster than float32, but not on every such CPU (<see cref="BFloat16Probe"/>).
    /// </summary>
    BFloat16Mixed,
}

/// <summary>How self-attention is computed (Hugging Face's <c>attn_implementation</c>).</summary>
public enum AttentionImplementation
{
    /// <summary>
    /// The faster kernel for the precision and pass, as measured on CPU (benchmarks/TorchBench/RESULTS.md): libtorch's
    /// fused <c>scaled_dot_product_attention</c> in float32 and whenever gradients are recorded; the eager path for
    /// bfloat16 inference, where libtorch's bf16 flash kernel measured slower (no_grad forward, batch 32 x 256 tokens:
    /// L4/H256 194 vs 124 ex/s, L6/H384 65 vs 58, L2/H128 654 vs 670). The same result either way. Default.
    /// </summary>
    Auto,

    /// <summary>
    /// libtorch's fused <c>scaled_dot_product_attention</c> whenever it gives the same result: attention probabilities
    /// not requested and no attention dropout active (its CPU kernel has no dropout). Otherwise the eager path.
    /// </summary>
    Sdpa,

    /// <summary>softmax(q kᵀ / √d + mask) v spelled out, as transformers' "eager" attention: the reference.</summary>
    Eager,
}

/// <summary>Where the default precision is decided.</summary>
public static class PrecisionDefaults
{
    private static readonly Lazy<bool> CpuHasBFloat16 = new(() => CpuFlags().Overlaps(["avx512_bf16", "amx_bf16"]));

    /// <summary>
    /// A process-wide choice used wherever options leave the precision unset (as <c>torch.set_default_dtype</c> is for
    /// dtypes); the CLI's <c>--precision</c> sets it. Default null: decided per device by <see cref="Resolve"/>.
    /// </summary>
    public static Precision? Preferred { get; set; }

    /// <summary>
    /// <paramref name="requested"/> when given, else <see cref="Preferred"/> when set; otherwise, on a CPU, <see cref="Precision.BFloat16Mixed"/>
    /// when it has bfloat16 matmul units (AVX512-BF16 or AMX-BF16, read from /proc/cpuinfo) and <see cref="BFloat16Probe"/> measured
    /// them faster than float32 here (on the AMD EPYC development machines training ran about 3x faster; on an Intel Xeon
    /// with the same flag bf16 matmuls ran at half the float32 rate), and <see cref="Precision.Float32"/> elsewhere (CPUs
    /// without those units emulate bfloat16 slowly; CUDA is not measured here, so it keeps float32).
    /// </summary>
    public static Precision Resolve(Precision? requested, TorchSharp.torch.Device device) =>
        requested ?? Preferred ?? (device.type == TorchSharp.DeviceType.CPU && CpuBFloat16Wins() ? Precision.BFloat16Mixed : Precision.Float32);

    /// <summary>
    /// Why <see cref="Resolve"/> picks what it picks on this machine's CPU when nothing is requested, for logs: for example
    /// "float32: bf16 matmul 0.56x float32 (155 vs 275 GFLOP/s)" or "float32: no bfloat16 units". Runs the probe when the CPU has the units.
    /// </summary>
    public static string DescribeCpuChoice() => !CpuHasBFloat16.Value
        ? "float32: no bfloat16 matmul units"
        : $"{(BFloat16Probe.Result.BFloat16Wins ? "bf16 mixed" : "float32")}: {BFloat16Probe.Result}";

    private static bool CpuBFloat16Wins() => CpuHasBFloat16.Value && BFloat16Probe.Result.BFloat16Wins;

    private static HashSet<string> CpuFlags()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal));
            return line is null ? [] : [.. line[(line.IndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        }
        catch (IOException) { return []; }
        catch (UnauthorizedAccessException) { return []; }
    }
}
