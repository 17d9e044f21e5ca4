namespace TunerBench;

/// <summary>
/// Branin-Currin (Belakaria et al. 2019, BoTorch's BraninCurrin), d = 2 on [0,1]²:
/// Branin at (15 x1 - 5, 15 x2) and Currin's exponential function, both minimized.
/// BoTorch benchmarks the negated (maximization) problem with reference point [-18, -6] on the negated values,
/// which is [18, 6] here in minimization form.
/// </summary>
public sealed class BraninCurrin : BenchmarkProblem
{
    public override string Name => "BraninCurrin";

    public override int Dimension => 2;

    public override double[] Reference => new[] { 18.0, 6.0 };

    /// <summary>
    /// BoTorch's BraninCurrin._max_hv: the hypervolume of a dense approximation of the Pareto front
    /// (no closed form; computed by exhaustive optimization of the front with that reference point).
    /// </summary>
    public override double MaxHypervolume => 59.36011874867746;

    public override double[] Evaluate(double[] x)
    {
        var u = 15 * x[0] - 5;
        var v = 15 * x[1];
        var branin = Math.Pow(v - 5.1 / (4 * Math.PI * Math.PI) * u * u + 5 / Math.PI * u - 6, 2)
            + 10 * (1 - 1 / (8 * Math.PI)) * Math.Cos(u) + 10;
        var factor = x[1] <= 0 ? 1.0 : 1 - Math.Exp(-1 / (2 * x[1]));
        var currin = factor * (2300 * Math.Pow(x[0], 3) + 1900 * x[0] * x[0] + 2092 * x[0] + 60)
            / (100 * Math.Pow(x[0], 3) + 500 * x[0] * x[0] + 4 * x[0] + 20);
        return new[] { branin, currin };
    }
}
