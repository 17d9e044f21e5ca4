using TorchSharp;
using static TorchSharp.torch;

namespace DistillML.Torch.Modeling;

/// <summary>
/// Dropout with <c>nn.Dropout</c>'s meaning (in training, zero each element with probability <see cref="P"/> and scale
/// the survivors so the expectation is unchanged; the identity in eval mode) and a faster mask.
/// </summary>
/// <remarks>
/// Why not <c>nn.Dropout</c>: libtorch draws CPU dropout masks with its serial Mersenne-Twister generator, about 5 ns
/// per element on this project's CPUs (82 ms for one [32, 6, 256, 256] attention-probability mask, measured), which was
/// a third of a bf16 training step. Here the mask is hashed from a counter (SplitMix64 of seed + index, 16 bits per
/// element), written in parallel straight into a tensor of the input's dtype holding 0 or the scale, and applied with
/// one multiply that autograd differentiates as usual. The seed of each mask is drawn from <see cref="Generator"/>
/// when set (the trainers set a per-run one, <see cref="BertQaModel.UseGenerator"/>), else from torch's global
/// generator, so <c>torch.manual_seed</c> still makes runs repeatable.
/// The drop probability is quantised to 1/65536. In bfloat16 the scale is the bfloat16 nearest 1/(1-p) and the keep
/// probability is set to its inverse, so the expectation stays exact to 1/65536 (p = 0.1 becomes 0.0986 in bfloat16).
/// </remarks>
public sealed class FastDropout : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates a dropout with drop probability <paramref name="p"/> in [0, 1).</summary>
    public FastDropout(double p) : base("Dropout")
    {
        if (p is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(p), p, "must be in [0, 1)");
        P = p;
    }

    /// <summary>The drop probability.</summary>
    public double P { get; set; }

    /// <summary>Where the masks' seeds come from; null for torch's global generator. Default null.</summary>
    public Generator? Generator { get; set; }

    /// <summary>Use libtorch's own dropout kernel (its serial generator) instead: the reference, kept for benchmarks. Default false.</summary>
    public bool UseTorchKernel { get; set; }

    /// <summary>True when this module drops anything: training mode with a positive probability.</summary>
    public bool IsActive => training && P > 0;

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        if (!IsActive) return x;
        if (UseTorchKernel) return nn.functional.dropout(x, P, training: true);
        long seed = torch.randint(long.MaxValue, [1], dtype: ScalarType.Int64, generator: Generator).item<long>();
        using var mask = DropoutMask.Create(x.shape, x.dtype, P, seed);
        return x * mask.to(x.device);
    }
}

/// <summary>Counter-based dropout masks (see <see cref="FastDropout"/>).</summary>
internal static class DropoutMask
{
    const int ElementsPerChunk = 1 << 18;

    /// <summary>A tensor of <paramref name="shape"/> and <paramref name="dtype"/> holding 0 or the survivors' scale.</summary>
    public static Tensor Create(long[] shape, ScalarType dtype, double p, long seed)
    {
        var (keepBelow, scale) = KeepRule(dtype, p);
        var mask = torch.empty(shape, dtype);
        long count = mask.numel();
        int chunks = (int)((count + ElementsPerChunk - 1) / ElementsPerChunk);
        var bytes = mask.bytes;
        unsafe
        {
            fixed (byte* start = bytes)
            {
                nint address = (nint)start;
                Parallel.For(0, chunks, chunk =>
                {
                    long first = (long)chunk * ElementsPerChunk, end = Math.Min(count, first + ElementsPerChunk);
                    if (dtype == ScalarType.BFloat16)
                        Fill(new Span<ushort>((ushort*)address + first, (int)(end - first)), first, seed, keepBelow, BFloat16Bits(scale));
                    else
                        Fill(new Span<float>((float*)address + first, (int)(end - first)), first, seed, keepBelow, (float)scale);
                });
            }
        }
        return mask;
    }

    /// <summary>
    /// The 16-bit threshold under which an element is kept and the value survivors are multiplied by, chosen so that
    /// keep probability x scale = 1 within 1/65536 in the mask's dtype.
    /// </summary>
    internal static (int KeepBelow, double Scale) KeepRule(ScalarType dtype, double p)
    {
        if (dtype is not (ScalarType.Float32 or ScalarType.BFloat16))
            throw new NotSupportedException($"FastDropout supports float32 and bfloat16 tensors, not {dtype}.");
        int keepBelow = (int)Math.Round((1 - p) * 65536);
        double scale = 65536.0 / keepBelow;
        if (dtype == ScalarType.BFloat16)
        {
            scale = FromBFloat16Bits(BFloat16Bits(scale));
            keepBelow = (int)Math.Round(65536 / scale);
        }
        else scale = (float)scale;
        return (keepBelow, scale);
    }

    // Element e takes bits 16*(e % 4) of hash(e / 4); chunks start at multiples of 4, so each hash serves one chunk.
    static void Fill<T>(Span<T> target, long first, long seed, int keepBelow, T keepValue) where T : unmanaged
    {
        T zero = default;
        ulong block = (ulong)(first >> 2);
        for (int i = 0; i < target.Length; i += 4, block++)
        {
            ulong h = SplitMix64((ulong)seed + block * 0x9E3779B97F4A7C15UL);
            int n = Math.Min(4, target.Length - i);
            for (int j = 0; j < n; j++, h >>= 16)
                target[i + j] = (int)(h & 0xFFFF) < keepBelow ? keepValue : zero;
        }
    }

    static ulong SplitMix64(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    static ushort BFloat16Bits(double value)
    {
        uint bits = BitConverter.SingleToUInt32Bits((float)value);
        return (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16); // round to nearest even
    }

    static double FromBFloat16Bits(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);
}
