namespace TunerBench;

/// <summary>
/// ZDT1/2/3 (Zitzler, Deb, Thiele 2000) with d = 6: f1 = x1, g = 1 + 9/(d-1) Σ_{i≥2} x_i, and
/// f2 = g (1 - √(f1/g)) (ZDT1), g (1 - (f1/g)²) (ZDT2), g (1 - √(f1/g) - (f1/g) sin(10π f1)) (ZDT3).
/// Reference point (11, 11), as in BoTorch's test problems.
/// </summary>
public sealed class Zdt : BenchmarkProblem
{
    private readonly int _variant;

    public Zdt(int variant) => _variant = variant;

    public override string Name => $"ZDT{_variant}";

    public override int Dimension => 6;

    public override double[] Reference => new[] { 11.0, 11.0 };

    /// <summary>
    /// The Pareto front has g = 1, so f2 = h(f1). The dominated area inside [0, 11]² is
    /// ∫_0^11 (11 - min_{t ≤ min(a, 1)} h(t)) da.
    /// ZDT1: h = 1 - √t, decreasing: ∫_0^1 (10 + √a) da + 10·11 = 10 + 2/3 + 110 = 120.6667.
    /// ZDT2: h = 1 - t²: ∫_0^1 (10 + a²) da + 110 = 10 + 1/3 + 110 = 120.3333.
    /// ZDT3: h = 1 - √t - t sin(10πt) is not monotone (disconnected front, min h = -0.773369 at t ≈ 0.8518);
    /// the integral with the running minimum, by quadrature (2e6 trapezoids, agrees with BoTorch's
    /// ZDT3._max_hv to 1e-10), is 128.77811613069076.
    /// </summary>
    public override double MaxHypervolume => _variant switch
    {
        1 => 120.0 + 2.0 / 3.0,
        2 => 120.0 + 1.0 / 3.0,
        _ => 128.77811613069076,
    };

    public override double[] Evaluate(double[] x)
    {
        var f1 = x[0];
        var g = 1 + 9.0 / (x.Length - 1) * x.Skip(1).Sum();
        var ratio = f1 / g;
        var f2 = _variant switch
        {
            1 => g * (1 - Math.Sqrt(ratio)),
            2 => g * (1 - ratio * ratio),
            _ => g * (1 - Math.Sqrt(ratio) - ratio * Math.Sin(10 * Math.PI * f1)),
        };
        return new[] { f1, f2 };
    }
}
