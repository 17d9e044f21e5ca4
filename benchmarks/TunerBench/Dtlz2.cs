namespace TunerBench;

/// <summary>
/// DTLZ2 (Deb, Thiele, Laumanns, Zitzler) with M objectives and d = M + 3 variables: g = Σ_{i≥M} (x_i - 0.5)²,
/// f_1 = (1+g) Π_{j&lt;M-1} cos(x_j π/2), f_k = (1+g) Π_{j&lt;M-k} cos(x_j π/2) · sin(x_{M-k} π/2), f_M = (1+g) sin(x_0 π/2);
/// for M = 3: f1 = (1+g) cos(x1 π/2) cos(x2 π/2), f2 = (1+g) cos(x1 π/2) sin(x2 π/2), f3 = (1+g) sin(x1 π/2), d = 6.
/// Reference point 1.1 in every objective, as in BoTorch.
/// </summary>
public sealed class Dtlz2(int objectives = 3) : BenchmarkProblem
{
    public override string Name => objectives == 3 ? "DTLZ2" : $"DTLZ2-{objectives}";

    public override int Dimension => objectives + 3;

    public override double[] Reference => Enumerable.Repeat(1.1, objectives).ToArray();

    /// <summary>
    /// The front is the positive orthant of the unit sphere. A point z ≥ 0 is dominated by the front iff |z| ≥ 1
    /// (take z/|z|), so the non-dominated part of the reference box is the ball orthant: HV = 1.1^M - V_M / 2^M with
    /// V_M the unit M-ball's volume (M = 3: 1.1³ - π/6 = 0.8074012244017016; M = 4: 1.1⁴ - π²/32).
    /// </summary>
    public override double MaxHypervolume => Math.Pow(1.1, objectives) - BallVolume(objectives) / Math.Pow(2, objectives);

    // V_M = π^{M/2} / Γ(M/2 + 1), by the recurrence V_M = 2π/M · V_{M-2} (V_0 = 1, V_1 = 2).
    private static double BallVolume(int m) => m switch { 0 => 1, 1 => 2, _ => 2 * Math.PI / m * BallVolume(m - 2) };

    public override double[] Evaluate(double[] x)
    {
        var g = 0.0;
        for (var i = objectives - 1; i < x.Length; i++)
        {
            g += (x[i] - 0.5) * (x[i] - 0.5);
        }

        var f = new double[objectives];
        for (var k = 0; k < objectives; k++)
        {
            var v = 1 + g;
            for (var j = 0; j < objectives - 1 - k; j++)
            {
                v *= Math.Cos(x[j] * Math.PI / 2);
            }

            if (k > 0)
            {
                v *= Math.Sin(x[objectives - 1 - k] * Math.PI / 2);
            }

            f[k] = v;
        }

        return f;
    }
}
