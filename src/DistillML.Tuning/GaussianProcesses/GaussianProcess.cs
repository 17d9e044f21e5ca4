using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;
using MathNet.Numerics.Optimization;

namespace DistillML.Tuning.GaussianProcesses;

/// <summary>
/// A Gaussian process regression model with a zero-mean Matérn 5/2 ARD prior on standardized outputs
/// (inputs are expected in the unit cube). Predictions are of the latent function, in the original units.
/// </summary>
public sealed class GaussianProcess
{
    private readonly double[] _x;
    private readonly double[] _lowerInverse;
    private readonly double[] _alpha;
    private readonly double[] _invLengthScales;

    private GaussianProcess(double[][] x, double[] yStd, double mean, double std, GpHyperparameters h)
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
        _invLengthScales = h.LengthScales.Select(v => 1 / v).ToArray();
        if (Count == 0)
        {
            _alpha = _lowerInverse = Array.Empty<double>();
            return;
        }

        (var cholesky, Jitter) = FactorWithJitter(Covariance(x, h));
        var yv = Vector<double>.Build.Dense(yStd);
        var alpha = cholesky.Solve(yv);
        _alpha = alpha.ToArray();
        _lowerInverse = LowerInverse(cholesky.Factor.AsColumnMajorArray(), Count);

        // log N(y; 0, K) = -½ yᵀK⁻¹y - ½ log|K| - ½ n log 2π.
        LogMarginalLikelihood = -0.5 * yv.DotProduct(alpha) - 0.5 * cholesky.DeterminantLn - 0.5 * Count * Math.Log(2 * Math.PI);
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
    /// Fits hyperparameters by maximum a posteriori (MathNet's box-constrained BFGS-B on log-hyperparameters, at most
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

        // The best point any start evaluated: BFGS-B's line search can end on a point worse than the one it left, and
        // MathNet reports the iteration cap and line-search failures by throwing, where the fit keeps what it found.
        double[]? best = null;
        var bestF = double.PositiveInfinity;
        (double F, double[] G) Evaluate(Vector<double> v)
        {
            var u = v.ToArray();
            var (f, g) = NegativeLogPosterior(u, diffs, yStd, n, d, priors);
            if (double.IsFinite(f) && f < bestF)
            {
                bestF = f;
                best = u;
            }

            return (f, g);
        }

        var lowerV = Vector<double>.Build.Dense(lower);
        var upperV = Vector<double>.Build.Dense(upper);
        foreach (var start in startList)
        {
            var u0 = start.LengthScales.Select(v => Math.Log(v)).Append(Math.Log(start.OutputScale)).Append(Math.Log(start.NoiseVariance)).ToArray();
            for (var j = 0; j < u0.Length; j++)
            {
                u0[j] = Math.Clamp(u0[j], lower[j], upper[j]);
            }

            if (maxIterations < 1)
            {
                Evaluate(Vector<double>.Build.Dense(u0));
                continue;
            }

            // BFGS-B starts from an identity Hessian, so its first step is the whole gradient (hundreds of log units
            // with many observations) and the line search spends most evaluations backing off from the box's corner.
            // Scaling the objective by 1/|gradient at the start| makes that first step one log unit long.
            var scale = 0.0;
            var objective = ObjectiveFunction.Gradient(v =>
            {
                var (f, g) = Evaluate(v);
                if (scale == 0)
                {
                    scale = 1 / Math.Max(1, Math.Sqrt(g.Sum(t => t * t)));
                }

                return (scale * f, Vector<double>.Build.Dense(g) * scale);
            });

            // The parameter tolerance (relative, on log-hyperparameters) also ends MathNet's line-search bisection; 1e-3
            // reaches the same optimum as tighter settings with a third fewer evaluations.
            try
            {
                new BfgsBMinimizer(gradientTolerance: 1e-6, parameterTolerance: 1e-3, functionProgressTolerance: 1e-9, maximumIterations: maxIterations)
                    .FindMinimum(objective, lowerV, upperV, Vector<double>.Build.Dense(u0));
            }
            catch (Exception e) when (e is OptimizationException or ArgumentException)
            {
                // Iteration cap, failed line search, non-finite start or a pseudo-Hessian that lost definiteness.
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
        return new GaussianProcess(xs, yStd, mean, std, hyperparameters);
    }

    /// <summary>
    /// The same process (same hyperparameters and standardization) conditioned also on <paramref name="x"/>
    /// observed at <paramref name="y"/>, in original units: kriging-believer fantasies use the posterior mean.
    /// </summary>
    public GaussianProcess WithObservations(IReadOnlyList<double[]> x, IReadOnlyList<double> y)
    {
        var xs = Inputs.Concat(x).ToArray();
        var yStd = StandardizedOutputs.Concat(y.Select(v => (v - OutputMean) / OutputStd)).ToArray();
        return new GaussianProcess(xs, yStd, OutputMean, OutputStd, Hyperparameters);
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

        // k*ᵀK⁻¹k* = ‖L⁻¹k*‖², with L⁻¹ k* accumulated over the contiguous columns of L⁻¹.
        Span<double> v = n <= 2048 ? stackalloc double[n] : new double[n];
        v.Clear();
        for (var j = 0; j < n; j++)
        {
            var kj = kstar[j];
            var col = j * n;
            for (var i = j; i < n; i++)
            {
                v[i] += _lowerInverse[col + i] * kj;
            }
        }

        var explained = 0.0;
        for (var i = 0; i < n; i++)
        {
            explained += v[i] * v[i];
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

    /// <summary>
    /// Factors k + jitter I, trying jitter 0, then 1e-9, 1e-8, ... (relative to the mean diagonal) up to 1e-2; MathNet's
    /// Cholesky throws <see cref="ArgumentException"/> on a matrix that is not positive definite.
    /// </summary>
    private static (Cholesky<double> Factor, double Jitter) FactorWithJitter(Matrix<double> k)
    {
        var n = k.RowCount;
        var meanDiag = Math.Max(k.Diagonal().Sum() / n, 1e-12);
        for (var attempt = 0; attempt <= 8; attempt++)
        {
            var jitter = attempt == 0 ? 0 : meanDiag * Math.Pow(10, -10 + attempt);
            try
            {
                return ((jitter == 0 ? k : k + Matrix<double>.Build.Diagonal(n, n, jitter)).Cholesky(), jitter);
            }
            catch (ArgumentException)
            {
            }
        }

        throw new InvalidOperationException("The covariance matrix is not positive definite even with jitter 1e-2.");
    }

    private static Matrix<double> Covariance(double[][] xs, GpHyperparameters h)
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

        // Symmetric, so the row-major array reads the same as MathNet's column-major storage.
        return Matrix<double>.Build.Dense(n, n, k);
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

        Cholesky<double> cholesky;
        try
        {
            cholesky = Matrix<double>.Build.Dense(n, n, k).Cholesky();
        }
        catch (ArgumentException)
        {
            // Not positive definite: the optimizer's line search backs off from an infinite value.
            return (double.PositiveInfinity, new double[d + 2]);
        }

        var yv = Vector<double>.Build.Dense(y);
        var alphaV = cholesky.Solve(yv);
        var alpha = alphaV.AsArray();
        var nll = 0.5 * yv.DotProduct(alphaV) + 0.5 * cholesky.DeterminantLn + 0.5 * n * Math.Log(2 * Math.PI);
        var kinv = InverseFromLowerInverse(LowerInverse(cholesky.Factor.AsColumnMajorArray(), n), n);

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
        var lengthScalePrior = priors.LengthScaleFor(d);
        for (var j = 0; j < d; j++)
        {
            var (v, gv) = lengthScalePrior.LogDensity(u[j]);
            logPrior += v;
            g[j] -= gv;
        }

        var (vs, gvs) = priors.OutputScale.LogDensity(u[d]);
        var (vn, gvn) = priors.Noise.LogDensity(u[d + 1]);
        logPrior += vs + vn;
        g[d] -= gvs;
        g[d + 1] -= gvn;
        return (nll - logPrior, g);
    }

    /// <summary>
    /// L⁻¹ from MathNet's lower Cholesky factor L (both column-major), by forward substitution on each e_j along the
    /// factor's contiguous columns. Written here because MathNet.Numerics 5.0.0 has no triangular solve or inverse:
    /// its Cholesky.Solve runs both substitutions with strided row access, which made Predict (‖L⁻¹k*‖² through
    /// K⁻¹k*) 2-3 times slower and TunerBench's tuner a third slower, and Cholesky.Solve(identity) for the gradient's
    /// K⁻¹ (2n³ operations against n³/3 here) failed the one-second proposal test at 200 observations.
    /// </summary>
    private static double[] LowerInverse(double[] l, int n)
    {
        var x = new double[n * n];
        for (var j = 0; j < n; j++)
        {
            var xj = j * n;
            x[xj + j] = 1;
            for (var k = j; k < n; k++)
            {
                var xk = x[xj + k] /= l[k * n + k];
                var lk = k * n;
                for (var i = k + 1; i < n; i++)
                {
                    x[xj + i] -= l[lk + i] * xk;
                }
            }
        }

        return x;
    }

    /// <summary>
    /// K⁻¹ = L⁻ᵀ L⁻¹ from L⁻¹ (column-major; LAPACK's potri): entry (i, j) is the dot product of columns i and j of
    /// L⁻¹, which vanish above the diagonal. Symmetric, so the array reads the same row- or column-major.
    /// </summary>
    private static double[] InverseFromLowerInverse(double[] x, int n)
    {
        var inv = new double[n * n];
        for (var j = 0; j < n; j++)
        {
            for (var i = j; i < n; i++)
            {
                var s = 0.0;
                for (var k = i; k < n; k++)
                {
                    s += x[i * n + k] * x[j * n + k];
                }

                inv[j * n + i] = s;
                inv[i * n + j] = s;
            }
        }

        return inv;
    }
}
