using DistillML.Tuning.GaussianProcesses;

namespace DistillML.Tuning.Tests.GaussianProcesses;

public class GaussianProcessTests
{
    [Fact]
    public void Posterior_of_two_observations_matches_the_closed_form()
    {
        // y = [1, -1] standardizes to ±1/√2 (mean 0, sample std √2). With K = [[s+σ, k],[k, s+σ]]:
        // mean = √2 k*ᵀ K⁻¹ ỹ, variance = 2 (s - k*ᵀ K⁻¹ k*).
        var h = new GpHyperparameters(new[] { 0.4 }, 1.0, 0.01);
        var gp = GaussianProcess.Condition(new[] { new[] { 0.2 }, new[] { 0.7 } }, new[] { 1.0, -1.0 }, h);
        var k12 = Matern52Kernel.Evaluate(new[] { 0.2 }, new[] { 0.7 }, h.LengthScales, 1.0);
        var a = 1.01;
        var det = a * a - k12 * k12;
        double[,] inv = { { a / det, -k12 / det }, { -k12 / det, a / det } };
        var xs = 0.35;
        var k1 = Matern52Kernel.Evaluate(new[] { xs }, new[] { 0.2 }, h.LengthScales, 1.0);
        var k2 = Matern52Kernel.Evaluate(new[] { xs }, new[] { 0.7 }, h.LengthScales, 1.0);
        var yt = new[] { 1 / Math.Sqrt(2), -1 / Math.Sqrt(2) };
        var w1 = inv[0, 0] * k1 + inv[0, 1] * k2;
        var w2 = inv[1, 0] * k1 + inv[1, 1] * k2;
        var expectedMean = Math.Sqrt(2) * (w1 * yt[0] + w2 * yt[1]);
        var expectedVar = 2 * (1 - (w1 * k1 + w2 * k2));
        var (mean, variance) = gp.Predict(new[] { xs });
        Assert.Equal(expectedMean, mean, 12);
        Assert.Equal(expectedVar, variance, 12);
    }

    [Fact]
    public void Matern52_kernel_matches_its_formula()
    {
        var r = Math.Sqrt(Math.Pow(0.3 / 0.5, 2) + Math.Pow(0.4 / 2.0, 2));
        var expected = 2.0 * (1 + Math.Sqrt(5) * r + 5.0 / 3 * r * r) * Math.Exp(-Math.Sqrt(5) * r);
        Assert.Equal(expected, Matern52Kernel.Evaluate(new[] { 0.1, 0.9 }, new[] { 0.4, 0.5 }, new[] { 0.5, 2.0 }, 2.0), 14);
    }

    [Fact]
    public void Log_posterior_gradient_matches_finite_differences()
    {
        var rng = new Random(5);
        var n = 12;
        var d = 3;
        var x = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, d).Select(_ => rng.NextDouble()).ToArray()).ToArray();
        var y = x.Select(v => Math.Sin(5 * v[0]) + v[1] * v[1]).ToArray();
        var mean = y.Average();
        var std = Math.Sqrt(y.Sum(v => (v - mean) * (v - mean)) / (n - 1));
        var ys = y.Select(v => (v - mean) / std).ToArray();
        var diffs = GaussianProcess.SquaredDifferences(x, n, d);
        var priors = new GpPriors();
        var u = new[] { Math.Log(0.3), Math.Log(0.8), Math.Log(1.5), Math.Log(1.2), Math.Log(0.01) };
        var (_, g) = GaussianProcess.NegativeLogPosterior(u, diffs, ys, n, d, priors);
        for (var i = 0; i < u.Length; i++)
        {
            var up = (double[])u.Clone();
            var down = (double[])u.Clone();
            up[i] += 1e-5;
            down[i] -= 1e-5;
            var numeric = (GaussianProcess.NegativeLogPosterior(up, diffs, ys, n, d, priors).F
                - GaussianProcess.NegativeLogPosterior(down, diffs, ys, n, d, priors).F) / 2e-5;
            Assert.Equal(numeric, g[i], 4);
        }
    }

    [Fact]
    public void Priors_have_the_modes_and_log_densities_of_their_distributions()
    {
        // Densities of θ (not of log θ), as GPyTorch evaluates them, against MathNet's distributions up to a constant.
        Assert.Equal(1.0 / 3, new GammaPrior(3, 6).Mode, 12);
        Assert.Equal(Math.Exp(-5), new LogNormalPrior(-4, 1).Mode, 12);
        var pairs = new (HyperparameterPrior Ours, Func<double, double> Reference)[]
        {
            (new GammaPrior(3, 6), t => MathNet.Numerics.Distributions.Gamma.PDFLn(3, 6, t)),
            (new GammaPrior(1.1, 0.05), t => MathNet.Numerics.Distributions.Gamma.PDFLn(1.1, 0.05, t)),
            (new LogNormalPrior(-4, 1), t => MathNet.Numerics.Distributions.LogNormal.PDFLn(-4, 1, t)),
            (new LogNormalPrior(Math.Sqrt(2) + 0.5 * Math.Log(13), Math.Sqrt(3)), t => MathNet.Numerics.Distributions.LogNormal.PDFLn(Math.Sqrt(2) + 0.5 * Math.Log(13), Math.Sqrt(3), t)),
        };
        foreach (var (ours, reference) in pairs)
        {
            foreach (var theta in new[] { 0.003, 0.2, 0.7, 5.0, 40.0 })
            {
                Assert.Equal(reference(theta) - reference(1.0), ours.LogDensity(Math.Log(theta)).Value - ours.LogDensity(0).Value, 9);
                var u = Math.Log(theta);
                var numeric = (ours.LogDensity(u + 1e-6).Value - ours.LogDensity(u - 1e-6).Value) / 2e-6;
                Assert.Equal(numeric, ours.LogDensity(u).Gradient, 5);
            }
        }

        // The mode is where the density of θ peaks.
        foreach (var (ours, reference) in pairs)
        {
            Assert.True(reference(ours.Mode) >= reference(ours.Mode * 1.01) && reference(ours.Mode) >= reference(ours.Mode * 0.99), ours.ToString());
        }
    }

    [Fact]
    public void One_good_observation_among_few_in_thirteen_dimensions_is_kept_and_not_explained_as_noise()
    {
        // The situation of a distillation sweep after its design: 13 features, seven poor students (F1 6 to 11) and
        // the one good one (F1 60). Under the default priors the posterior mean stays at the observation; under
        // priors that favour noise (the classic ones as this class evaluated them before session 28, with the log
        // transform's Jacobian, which is Gamma(a + 1, b) in today's convention) the fit calls most of it noise.
        var rng = new Random(3);
        var x = Enumerable.Range(0, 8).Select(_ => Enumerable.Range(0, 13).Select(_ => rng.NextDouble()).ToArray()).ToArray();
        var y = new[] { 60.0, 7.9, 6.1, 10.5, 8.7, 9.2, 8.7, 11.0 };
        var fit = GaussianProcess.Fit(x, y);
        Assert.InRange(fit.Predict(x[0]).Mean, 57, 60);
        var noiseFavouring = new GpPriors
        {
            LengthScale = new GammaPrior(4, 6),
            OutputScale = new GammaPrior(3, 0.15),
            Noise = new GammaPrior(2.1, 0.05),
            LengthScaleBounds = (0.01, 20),
        };
        var noisy = GaussianProcess.Fit(x, y, noiseFavouring);
        Assert.True(noisy.Predict(x[0]).Mean < 50, $"the contrast fit kept the observation: {noisy.Predict(x[0]).Mean}");
    }

    [Fact]
    public void Fitted_process_interpolates_a_smooth_function_and_learns_little_noise()
    {
        var rng = new Random(11);
        var x = Enumerable.Range(0, 25).Select(_ => new[] { rng.NextDouble(), rng.NextDouble() }).ToArray();
        double F(double[] v) => Math.Sin(4 * v[0]) + 0.5 * v[1];
        var gp = GaussianProcess.Fit(x, x.Select(F).ToArray());
        Assert.True(gp.Hyperparameters.NoiseVariance < 1e-2, $"noise {gp.Hyperparameters.NoiseVariance}");
        for (var t = 0; t < 20; t++)
        {
            var p = new[] { 0.1 + 0.8 * rng.NextDouble(), 0.1 + 0.8 * rng.NextDouble() };
            Assert.InRange(gp.Predict(p).Mean - F(p), -0.1, 0.1);
        }

        // ARD: the second input is linear and smooth, so its length scale is the longer one.
        Assert.True(gp.Hyperparameters.LengthScales[1] > gp.Hyperparameters.LengthScales[0]);
    }

    [Fact]
    public void Cholesky_escalates_jitter_for_duplicate_inputs()
    {
        var h = new GpHyperparameters(new[] { 0.5 }, 1.0, 0.0);
        var gp = GaussianProcess.Condition(new[] { new[] { 0.3 }, new[] { 0.3 }, new[] { 0.6 } }, new[] { 1.0, 1.0, 2.0 }, h);
        Assert.True(gp.Jitter > 0);
        Assert.Equal(1.0, gp.Predict(new[] { 0.3 }).Mean, 3);
    }

    [Fact]
    public void Fantasy_observation_at_the_mean_shrinks_variance_and_keeps_the_mean()
    {
        var x = new[] { new[] { 0.1 }, new[] { 0.9 } };
        var gp = GaussianProcess.Condition(x, new[] { 0.0, 1.0 }, new GpHyperparameters(new[] { 0.3 }, 1.0, 1e-4));
        var before = gp.Predict(new[] { 0.5 });
        var believed = gp.WithObservations(new[] { new[] { 0.5 } }, new[] { before.Mean });
        var after = believed.Predict(new[] { 0.5 });
        Assert.Equal(before.Mean, after.Mean, 9);
        Assert.True(after.Variance < 0.01 * before.Variance);
    }
}

public class GaussianProcessNoiseTests
{
    [Fact]
    public void Noisy_observations_raise_the_learned_noise_term()
    {
        var rng = new Random(4);
        var x = Enumerable.Range(0, 40).Select(_ => new[] { rng.NextDouble() }).ToArray();
        var clean = GaussianProcess.Fit(x, x.Select(v => Math.Sin(3 * v[0])).ToArray());
        var noisy = GaussianProcess.Fit(x, x.Select(v => Math.Sin(3 * v[0]) + 0.3 * (rng.NextDouble() - 0.5) * 2).ToArray());
        Assert.True(noisy.Hyperparameters.NoiseVariance > 10 * clean.Hyperparameters.NoiseVariance,
            $"noisy {noisy.Hyperparameters.NoiseVariance}, clean {clean.Hyperparameters.NoiseVariance}");
    }
}
