namespace DistillML.Tuning.GaussianProcesses;

/// <summary>A small box-projected L-BFGS minimizer with Armijo backtracking and an iteration cap.</summary>
internal static class Lbfgs
{
    public static (double[] X, double F) Minimize(
        Func<double[], (double F, double[] G)> objective,
        double[] x0, double[] lower, double[] upper, int maxIterations, int memory = 6)
    {
        var n = x0.Length;
        var x = Project(x0, lower, upper);
        var (f, g) = objective(x);
        var s = new List<double[]>();
        var y = new List<double[]>();
        for (var iter = 0; iter < maxIterations; iter++)
        {
            var pg = ProjectedGradient(x, g, lower, upper);
            if (Norm(pg) < 1e-6)
            {
                break;
            }

            var d = TwoLoop(pg, s, y);
            for (var i = 0; i < n; i++)
            {
                d[i] = -d[i];
            }

            if (Dot(d, pg) >= 0)
            {
                // Not a descent direction: fall back to steepest descent and forget curvature.
                s.Clear();
                y.Clear();
                for (var i = 0; i < n; i++)
                {
                    d[i] = -pg[i];
                }
            }

            var step = iter == 0 && s.Count == 0 ? Math.Min(1.0, 1.0 / Math.Max(Norm(pg), 1e-12)) : 1.0;
            double[] xNew;
            double fNew;
            double[] gNew;
            var accepted = false;
            var tries = 0;
            do
            {
                xNew = new double[n];
                for (var i = 0; i < n; i++)
                {
                    xNew[i] = x[i] + step * d[i];
                }

                xNew = Project(xNew, lower, upper);
                (fNew, gNew) = objective(xNew);
                var decrease = 0.0;
                for (var i = 0; i < n; i++)
                {
                    decrease += g[i] * (xNew[i] - x[i]);
                }

                if (double.IsFinite(fNew) && fNew <= f + 1e-4 * decrease)
                {
                    accepted = true;
                    break;
                }

                step *= 0.3;
            }
            while (++tries < 12);

            if (!accepted)
            {
                break;
            }

            var sk = new double[n];
            var yk = new double[n];
            for (var i = 0; i < n; i++)
            {
                sk[i] = xNew[i] - x[i];
                yk[i] = gNew[i] - g[i];
            }

            if (Dot(sk, yk) > 1e-10)
            {
                s.Add(sk);
                y.Add(yk);
                if (s.Count > memory)
                {
                    s.RemoveAt(0);
                    y.RemoveAt(0);
                }
            }

            var improvement = f - fNew;
            x = xNew;
            f = fNew;
            g = gNew;
            if (improvement < 1e-9 * Math.Max(1, Math.Abs(f)))
            {
                break;
            }
        }

        return (x, f);
    }

    private static double[] TwoLoop(double[] g, List<double[]> s, List<double[]> y)
    {
        var q = (double[])g.Clone();
        var k = s.Count;
        var alpha = new double[k];
        for (var i = k - 1; i >= 0; i--)
        {
            alpha[i] = Dot(s[i], q) / Dot(y[i], s[i]);
            for (var j = 0; j < q.Length; j++)
            {
                q[j] -= alpha[i] * y[i][j];
            }
        }

        if (k > 0)
        {
            var gamma = Dot(s[k - 1], y[k - 1]) / Dot(y[k - 1], y[k - 1]);
            for (var j = 0; j < q.Length; j++)
            {
                q[j] *= gamma;
            }
        }

        for (var i = 0; i < k; i++)
        {
            var beta = Dot(y[i], q) / Dot(y[i], s[i]);
            for (var j = 0; j < q.Length; j++)
            {
                q[j] += s[i][j] * (alpha[i] - beta);
            }
        }

        return q;
    }

    private static double[] ProjectedGradient(double[] x, double[] g, double[] lower, double[] upper)
    {
        var pg = (double[])g.Clone();
        for (var i = 0; i < x.Length; i++)
        {
            if ((x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0))
            {
                pg[i] = 0;
            }
        }

        return pg;
    }

    private static double[] Project(double[] x, double[] lower, double[] upper)
    {
        var p = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            p[i] = Math.Clamp(x[i], lower[i], upper[i]);
        }

        return p;
    }

    private static double Dot(double[] a, double[] b)
    {
        var s = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }

        return s;
    }

    private static double Norm(double[] a) => Math.Sqrt(Dot(a, a));
}
