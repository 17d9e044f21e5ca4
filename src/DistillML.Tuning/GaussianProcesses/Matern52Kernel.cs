namespace DistillML.Tuning.GaussianProcesses;

/// <summary>
/// The Matérn 5/2 kernel with automatic relevance determination:
/// k(x, x') = s² (1 + √5 r + 5/3 r²) exp(-√5 r), r² = Σ_j ((x_j - x'_j) / ℓ_j)².
/// </summary>
public static class Matern52Kernel
{
    private static readonly double Sqrt5 = Math.Sqrt(5);

    /// <summary>The kernel value from the scaled distance r.</summary>
    public static double FromDistance(double r, double outputScale) =>
        outputScale * (1 + Sqrt5 * r + 5.0 / 3.0 * r * r) * Math.Exp(-Sqrt5 * r);

    /// <summary>
    /// The factor g such that ∂k/∂log ℓ_j = g · ((x_j - x'_j)/ℓ_j)²: g = 5/3 s² (1 + √5 r) exp(-√5 r).
    /// </summary>
    public static double LengthScaleGradientFactor(double r, double outputScale) =>
        5.0 / 3.0 * outputScale * (1 + Sqrt5 * r) * Math.Exp(-Sqrt5 * r);

    /// <summary>The kernel between two points.</summary>
    public static double Evaluate(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> lengthScales, double outputScale)
    {
        var r2 = 0.0;
        for (var j = 0; j < x.Length; j++)
        {
            var t = (x[j] - y[j]) / lengthScales[j];
            r2 += t * t;
        }

        return FromDistance(Math.Sqrt(r2), outputScale);
    }
}
