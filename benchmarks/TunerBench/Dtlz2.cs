namespace TunerBench;

/// <summary>
/// DTLZ2 (Deb, Thiele, Laumanns, Zitzler) with d = 6 and 3 objectives: g = Σ_{i≥3} (x_i - 0.5)²,
/// f1 = (1+g) cos(x1 π/2) cos(x2 π/2), f2 = (1+g) cos(x1 π/2) sin(x2 π/2), f3 = (1+g) sin(x1 π/2).
/// Reference point (1.1, 1.1, 1.1), as in BoTorch.
/// </summary>
public sealed class Dtlz2 : BenchmarkProblem
{
    public override string Name => "DTLZ2";

    public override int Dimension => 6;

    public override double[] Reference => new[] { 1.1, 1.1, 1.1 };

    /// <summary>
    /// The front is the positive octant of the unit sphere. A point z ≥ 0 is dominated by the front iff |z| ≥ 1
    /// (take z/|z|), so the non-dominated part of the reference box is the ball octant of volume π/6:
    /// HV = 1.1³ - π/6 = 0.8074012244017016.
    /// </summary>
    public override double MaxHypervolume => 1.1 * 1.1 * 1.1 - Math.PI / 6;

    public override double[] Evaluate(double[] x)
    {
        var g = 0.0;
        for (var i = 2; i < x.Length; i++)
        {
            g += (x[i] - 0.5) * (x[i] - 0.5);
        }

        var a = x[0] * Math.PI / 2;
        var b = x[1] * Math.PI / 2;
        return new[] { (1 + g) * Math.Cos(a) * Math.Cos(b), (1 + g) * Math.Cos(a) * Math.Sin(b), (1 + g) * Math.Sin(a) };
    }
}
