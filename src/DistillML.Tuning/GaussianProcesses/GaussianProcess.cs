namespace DistillML.Tuning.GaussianProcesses;

/// <summary>
/// A Gaussian process regression model with a zero-mean Matérn 5/2 ARD prior on standardized outputs
/// (inputs are expected in the unit cube). Predictions are of the latent function, in the original units.
/// </summary>
public sealed class GaussianProcess
{
    private readonly double[] _x;
    private readonly double[] _l;
    private readonly double[] _alpha;
    private readonly double[] _invLengthScales;

    private GaussianProcess(double[][] x, double[] yStd, double mean, double std, GpHyperparameters h, double[] l, double jitter, double logLikelihood)
    {
        Dimension = x.Length == 0 ? h.LengthScales.Length : x[0].Length;
        Count = x.Length;
        _x = new double[Count * Dimension];
        for (var i = 0; i < Count; i++)
        {
            Array.Copy(x[i], 0, _x, i * Dimension, Dimension);
        }

        Inputs = x;
        StandardizedOutputs = yStd;
        OutputMean = mean;
        OutputStd = std;
        Hyperparameters = h;
        _l = l;
        Jitter = jitter;
        LogMarginalLikelihood = logLikelihood;
        _invLengthScales = h.LengthScales.Select(v => 1 / v).ToArray();
        _alpha = (double[])yStd.Clone();
        Cholesky.SolveLower(_l, Count, _alpha);
        Cholesky.SolveUpper(_l, Count, _alpha);
    }

    /// <summary>Number of observations.</summary>
    public int Count { get; }

    /// <summary>Input dimension.</summary>
    public int Dimension { get; }

    /// <summary>The training inputs.</summary>
    public IReadOnlyList<double[]> Inputs { get; }

    /// <summary>The training outputs after standardization.</summary>
    public IReadOnlyList<double> StandardizedOutputs { get; }

    /// <summary>The mean subtracted by standardization.</summary>
    public double OutputMean { get; }

    /// <summary>The scale divided out by standardization.</summary>
    public double OutputStd { get; }

    /// <summary>The hyperparameters in use.</summary>
    public GpHyperparameters Hyperparameters { get; }

    /// <summary>The jitter added to the diagonal to make the Cholesky factorization succeed.</summary>
    public double Jitter { get; }

    /// <summary>The log marginal likelihood of the standardized outputs.</summary>
    public double LogMarginalLikelihood { get; }

    /// <summary>
    /// Fits hyperparameters by maximum a posteriori (box-projected L-BFGS on log-hyperparameters, at most
    /// <paramref name="maxIterations"/> iterations from each start) and conditions on the data.
    /// </summary>
    /// <param name="x">Inputs, one array per observation.</param>
    /// <param name="y">Outputs.</param>
    /// <param name="priors">Priors and bounds; <see cref="GpPriors"/>' defaults when null.</param>
    /// <param name="maxIterations">Iteration cap per start.</param>
    /// <param name="starts">Starting hyperparameters; the defaults when null or empty.</param>
    public static GaussianProcess Fit(IReadOnlyList<double[]> x, IReadOnlyList<double> y, GpPriors? priors = null,
        int maxIterations = 50, IEnumerable<GpHyperparameters>? starts = null)
    {
        priors ??= new GpPriors();
        var (xs, yStd, mean, std) = Prepare(x, y);
        var n = xs.Length;
        var d = n > 0 ? xs[0].Length : 0;
        var startList = starts?.ToList() ?? new List<GpHyperparameters>();
        if (startList.Count == 0)
        {
            startList.Add(GpHyperparameters.Default(d));
        }

        if (n < 2)
        {
            return Condition(x, y, startList[0]);
        }

        var diffs = SquaredDifferences(xs, n, d);
        var lower = new double[d + 2];
        var upper = new double[d + 2];
        for (var j = 0; j < d; j++)
        {
            lower[j] = Math.Log(priors.LengthScaleBounds.Min);
            upper[j] = Math.Log(priors.LengthScaleBounds.Max);
        }

        lower[d] = Math.Log(priors.OutputScaleBounds.Min);
        upper[d] = Math.Log(priors.OutputScaleBounds.Max);
        lower[d + 1] = Math.Log(priors.MinNoise);
        upper[d + 1] = Math.Log(priors.MaxNoise);

        double[]? best = null;
        var bestF = double.PositiveInfinity;
        foreach (var start in startList)
        {
            var u0 = start.LengthScales.Select(v => Math.Log(v)).Append(Math.Log(start.OutputScale)).Append(Math.Log(start.NoiseVariance)).ToArray();
            var (u, f) = Lbfgs.Minimize(v => NegativeLogPosterior(v, diffs, yStd, n, d, priors), u0, lower, upper, maxIterations);
            if (f < bestF)
            {
                bestF = f;
                best = u;
            }
        }

        best ??= lower.Zip(upper, (a, b) => (a + b) / 2).ToArray();
        var h = new GpHyperparameters(best.Take(d).Select(v => Math.Exp(v)).ToArray(), Math.Exp(best[d]), Math.Exp(best[d + 1]));
        return Condition(x, y, h);
    }

    /// <summary>Conditions a process with fixed hyperparameters on the data (no fitting).</summary>
    public static GaussianProcess Condition(IReadOnlyList<double[]> x, IReadOnlyList<double> y, GpHyperparameters hyperparameters)
    {
        var (xs, yStd, mean, std) = Prepare(x, y);
        var n = xs.Length;
        var k = Covariance(xs, hyperparameters);
        var (l, jitter) = Cholesky.FactorWithJitter(k, n);
        var logLik = LogLikelihood(l, yStd, n);
        return new GaussianProcess(xs, yStd, mean, std, hyperparameters, l, jitter, logLik);
    }

    /// <summary>
    /// The same process (same hyperparameters and standardization) conditioned also on <paramref name="x"/>
    /// observed at <paramref name="y"/>, in original units: kriging-believer fantasies use the posterior mean.
    /// </summary>
    public GaussianProcess WithObservations(IReadOnlyList<double[]> x, IReadOnlyList<double> y)
    {
        var xs = Inputs.Concat(x).ToArray();
        var yStd = StandardizedOutputs.Concat(y.Select(v => (v - OutputMean) / OutputStd)).ToArray();
        var k = Covariance(xs, Hyperparameters);
        var (l, jitter) = Cholesky.FactorWithJitter(k, xs.Length);
        return new GaussianProcess(xs, yStd, OutputMean, OutputStd, Hyperparameters, l, jitter, LogLikelihood(l, yStd, xs.Length));
    }

    /// <summary>The posterior mean and variance of the latent function at <paramref name="x"/>, in original units.</summary>
    public (double Mean, double Variance) Predict(ReadOnlySpan<double> x)
    {
        var n = Count;
        var s2 = Hyperparameters.OutputScale;
        if (n == 0)
        {
            return (OutputMean, s2 * OutputStd * OutputStd);
        }

        Span<double> kstar = n <= 2048 ? stackalloc double[n] : new double[n];
        var d = Dimension;
        var mean = 0.0;
        for (var i = 0; i < n; i++)
        {
            var r2 = 0.0;
            var off = i * d;
            for (var j = 0; j < d; j++)
            {
                var t = (x[j] - _x[off + j]) * _invLengthScales[j];
                r2 += t * t;
            }

            kstar[i] = Matern52Kernel.FromDistance(Math.Sqrt(r2), s2);
            mean += kstar[i] * _alpha[i];
        }

        Cholesky.SolveLower(_l, n, kstar);
        var explained = 0.0;
        for (var i = 0; i < n; i++)
        {
            explained += kstar[i] * kstar[i];
        }

        var variance = Math.Max(s2 - explained, 1e-12 * s2);
        return (OutputMean + OutputStd * mean, variance * OutputStd * OutputStd);
    }

    private static (double[][] X, double[] YStd, double Mean, double Std) Prepare(IReadOnlyList<double[]> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"{x.Count} inputs but {y.Count} outputs.", nameof(y));
        }

        var xs = x.ToArray();
        var mean = y.Count > 0 ? y.Average() : 0.0;
        var variance = y.Count > 1 ? y.Sum(v => (v - mean) * (v - mean)) / (y.Count - 1) : 0.0;
        var std = variance > 1e-24 ? Math.Sqrt(variance) : 1.0;
        var yStd = y.Select(v => (v - mean) / std).ToArray();
        return (xs, yStd, mean, std);
    }

    private static double[] Covariance(double[][] xs, GpHyperparameters h)
    {
        var n = xs.Length;
        var k = new double[n * n];
        for (var a = 0; a < n; a++)
        {
            k[a * n + a] = h.OutputScale + h.NoiseVariance;
            for (var b = 0; b < a; b++)
            {
                var v = Matern52Kernel.Evaluate(xs[a], xs[b], h.LengthScales, h.OutputScale);
                k[a * n + b] = v;
                k[b * n + a] = v;
            }
        }

        return k;
    }

    private static double LogLikelihood(double[] l, double[] y, int n)
    {
        var v = (double[])y.Clone();
        Cholesky.SolveLower(l, n, v);
        var quad = v.Sum(t => t * t);
        var logDet = 0.0;
        for (var i = 0; i < n; i++)
        {
            logDet += Math.Log(l[i * n + i]);
        }

        return -0.5 * quad - logDet - 0.5 * n * Math.Log(2 * Math.PI);
    }

    /// <summary>Squared coordinate differences of all pairs a &gt; b, packed as [(a(a-1)/2 + b) * d + j].</summary>
    internal static double[] SquaredDifferences(double[][] xs, int n, int d)
    {
        var diffs = new double[n * (n - 1) / 2 * d];
        var p = 0;
        for (var a = 0; a < n; a++)
        {
            for (var b = 0; b < a; b++)
            {
                for (var j = 0; j < d; j++)
                {
                    var t = xs[a][j] - xs[b][j];
                    diffs[p++] = t * t;
                }
            }
        }

        return diffs;
    }

    internal static (double F, double[] G) NegativeLogPosterior(double[] u, double[] diffs, double[] y, int n, int d, GpPriors priors)
    {
        var invL2 = new double[d];
        for (var j = 0; j < d; j++)
        {
            invL2[j] = Math.Exp(-2 * u[j]);
        }

        var s2 = Math.Exp(u[d]);
        var noise = Math.Exp(u[d + 1]);
        var k = new double[n * n];
        var kf = new double[n * (n - 1) / 2];
        var gfac = new double[n * (n - 1) / 2];
        var p = 0;
        for (var a = 0; a < n; a++)
        {
            k[a * n + a] = s2 + noise;
            for (var b = 0; b < a; b++, p++)
            {
                var r2 = 0.0;
                var off = p * d;
                for (var j = 0; j < d; j++)
                {
                    r2 += diffs[off + j] * invL2[j];
                }

                var r = Math.Sqrt(r2);
                var v = Matern52Kernel.FromDistance(r, s2);
                kf[p] = v;
                gfac[p] = Matern52Kernel.LengthScaleGradientFactor(r, s2);
                k[a * n + b] = v;
                k[b * n + a] = v;
            }
        }

        if (!Cholesky.TryFactorInPlace(k, n))
        {
            return (double.PositiveInfinity, new double[d + 2]);
        }

        var l = k;
        var alpha = (double[])y.Clone();
        Cholesky.SolveLower(l, n, alpha);
        var quad = 0.0;
        for (var i = 0; i < n; i++)
        {
            quad += alpha[i] * alpha[i];
        }

        Cholesky.SolveUpper(l, n, alpha);
        var logDet = 0.0;
        for (var i = 0; i < n; i++)
        {
            logDet += Math.Log(l[i * n + i]);
        }

        var nll = 0.5 * quad + logDet + 0.5 * n * Math.Log(2 * Math.PI);
        var kinv = Cholesky.Inverse(l, n);

        // ∂nll/∂u = 0.5 tr(W ∂K/∂u) with W = K⁻¹ - α αᵀ; off-diagonal pairs count twice.
        var g = new double[d + 2];
        var traceW = 0.0;
        var diagSum = 0.0;
        for (var a = 0; a < n; a++)
        {
            var w = kinv[a * n + a] - alpha[a] * alpha[a];
            traceW += w;
            diagSum += w * s2;
        }

        p = 0;
        var gs = diagSum;
        for (var a = 0; a < n; a++)
        {
            for (var b = 0; b < a; b++, p++)
            {
                var w = 2 * (kinv[a * n + b] - alpha[a] * alpha[b]);
                gs += w * kf[p];
                var wg = w * gfac[p];
                var off = p * d;
                for (var j = 0; j < d; j++)
                {
                    g[j] += wg * diffs[off + j] * invL2[j];
                }
            }
        }

        for (var j = 0; j < d; j++)
        {
            g[j] *= 0.5;
        }

        g[d] = 0.5 * gs;
        g[d + 1] = 0.5 * noise * traceW;

        var logPrior = 0.0;
        for (var j = 0; j < d; j++)
        {
            var (v, gv) = GpPriors.LogGammaInLogSpace(u[j], priors.LengthScale);
            logPrior += v;
            g[j] -= gv;
        }

        var (vs, gvs) = GpPriors.LogGammaInLogSpace(u[d], priors.OutputScale);
        var (vn, gvn) = GpPriors.LogGammaInLogSpace(u[d + 1], priors.Noise);
        logPrior += vs + vn;
        g[d] -= gvs;
        g[d + 1] -= gvn;
        return (nll - logPrior, g);
    }
}
