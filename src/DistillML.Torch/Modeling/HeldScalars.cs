using TorchSharp;
using static TorchSharp.torch;

namespace DistillML.Torch.Modeling;

/// <summary>
/// Tensor arithmetic whose <see cref="Scalar"/> operands live until the native call has returned.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 turns numbers into <see cref="Scalar"/>s implicitly (also inside <c>a + b</c>, which passes
/// alpha = 1) and leaves them to the finalizer. The object is unreachable once its handle has been read, so a garbage
/// collection during the native operation can free the scalar under it; libtorch then fails in <c>Scalar::toFloat</c>
/// with "Expected false to be true". One of about 30 sweep trials here failed so (upstream: dotnet/TorchSharp#1434,
/// #1496, open). The per-step operations of our forward passes and losses go through these helpers: constants are
/// rooted in static fields, other values are held by a <c>using</c> until the operation returns. TorchSharp's own
/// optimizers still convert implicitly.
/// </remarks>
internal static class HeldScalars
{
    private static readonly Scalar One = 1, MinusOne = -1;

    /// <summary><c>a + b</c>.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary><c>a - b</c>.</summary>
    public static Tensor Minus(this Tensor a, Tensor b) => a.add(b, MinusOne);

    /// <summary><c>a * value</c>.</summary>
    public static Tensor Times(this Tensor a, double value)
    {
        using Scalar s = value;
        return a.mul(s);
    }

    /// <summary><c>a / value</c>.</summary>
    public static Tensor Over(this Tensor a, double value)
    {
        using Scalar s = value;
        return a.div(s);
    }

    /// <summary><c>a + value</c>.</summary>
    public static Tensor PlusValue(this Tensor a, double value)
    {
        using Scalar s = value;
        return a.add(s);
    }

    /// <summary><c>a.masked_fill(mask, value)</c>.</summary>
    public static Tensor Filled(this Tensor a, Tensor mask, double value)
    {
        using Scalar s = value;
        return a.masked_fill(mask, s);
    }
}
