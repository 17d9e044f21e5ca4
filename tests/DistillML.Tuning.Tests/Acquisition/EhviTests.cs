using DistillML.Tuning.Acquisition;
using DistillML.Tuning.Pareto;

namespace DistillML.Tuning.Tests.Acquisition;

public class EhviTests
{
    private static readonly double[][] Front2 = { new[] { 1.0, 3.0 }, new[] { 2.0, 2.0 }, new[] { 3.0, 1.0 } };

    [Theory]
    [InlineData(2.0, 2.5, 0.5, 0.7)]
    [InlineData(0.5, 0.5, 1.0, 1.0)]
    [InlineData(3.5, 3.5, 0.3, 0.2)]
    public void Ehvi_2d_exact_matches_a_monte_carlo_estimate(double mu1, double mu2, double s1, double s2)
    {
        var r = new[] { 4.0, 4.0 };
        var exact = ExactEhvi.Create(Front2, r)!.Expected(new[] { mu1, mu2 }, new[] { s1, s2 });
        var (mean, se) = MonteCarlo(Front2, r, new[] { mu1, mu2 }, new[] { s1, s2 }, 100_000, seed: 1);
        Assert.InRange(exact, mean - 4 * se - 1e-9, mean + 4 * se + 1e-9);
    }

    [Fact]
    public void Ehvi_3d_exact_matches_a_monte_carlo_estimate()
    {
        var rng = new Random(2);
        var front = Enumerable.Range(0, 8).Select(_ => Tests.Pareto.HypervolumeTests.SpherePoint(rng, 3)).ToList();
        var r = new[] { 1.1, 1.1, 1.1 };
        var mu = new[] { 0.5, 0.6, 0.55 };
        var sd = new[] { 0.2, 0.3, 0.1 };
        var exact = ExactEhvi.Create(front, r)!.Expected(mu, sd);
        var (mean, se) = MonteCarlo(front, r, mu, sd, 100_000, seed: 3);
        Assert.InRange(exact, mean - 4 * se, mean + 4 * se);
    }

    [Fact]
    public void Quasi_monte_carlo_ehvi_converges_to_the_exact_value()
    {
        var r = new[] { 4.0, 4.0 };
        var mu = new[] { 1.8, 2.2 };
        var sd = new[] { 0.6, 0.4 };
        var exact = ExactEhvi.Create(Front2, r)!.Expected(mu, sd);
        var qmc = new MonteCarloEhvi(Front2, r, samples: 4096, seed: 1).Expected(mu, sd);
        Assert.Equal(exact, qmc, 2);
    }

    [Fact]
    public void Quasi_monte_carlo_ehvi_without_a_box_decomposition_matches_the_one_with_it()
    {
        // maxBoxes 0 forbids the decomposition: each sample then takes the exclusive-hypervolume path.
        var rng = new Random(4);
        var front = Enumerable.Range(0, 30).Select(_ => { var p = new[] { rng.NextDouble(), rng.NextDouble(), rng.NextDouble() }; double s = p.Sum(); return p.Select(v => v / s).ToArray(); }).ToList();
        var r = new[] { 1.0, 1.0, 1.0 };
        var mu = new[] { 0.2, 0.25, 0.3 };
        var sd = new[] { 0.1, 0.05, 0.08 };
        double withBoxes = new MonteCarloEhvi(front, r, samples: 256, seed: 2).Expected(mu, sd);
        double without = new MonteCarloEhvi(front, r, samples: 256, seed: 2, maxBoxes: 0).Expected(mu, sd);
        Assert.True(withBoxes > 0);
        Assert.Equal(withBoxes, without, 10);
    }

    [Fact]
    public void Ehvi_with_zero_variance_is_the_hypervolume_improvement()
    {
        var r = new[] { 4.0, 4.0 };
        var y = new[] { 1.5, 1.5 };
        Assert.Equal(Hypervolume.Improvement(Front2, y, r), ExactEhvi.Create(Front2, r)!.Expected(y, new[] { 0.0, 0.0 }), 12);
    }

    [Fact]
    public void Ehvi_against_an_empty_front_is_the_expected_dominated_box()
    {
        // E[(4 - y1)⁺] E[(4 - y2)⁺] with y ~ N(1, 0) exactly: 3 * 3.
        var ehvi = ExactEhvi.Create(Array.Empty<double[]>(), new[] { 4.0, 4.0 })!;
        Assert.Equal(9.0, ehvi.Expected(new[] { 1.0, 1.0 }, new[] { 0.0, 0.0 }), 12);
    }

    private static (double Mean, double StdError) MonteCarlo(IReadOnlyList<double[]> front, double[] r, double[] mu, double[] sd, int samples, int seed)
    {
        var rng = new Random(seed);
        var boxes = NonDominatedBoxes.Create(front, r)!;
        var y = new double[mu.Length];
        double sum = 0, sumSq = 0;
        for (var s = 0; s < samples; s++)
        {
            for (var j = 0; j < y.Length; j++)
            {
                y[j] = mu[j] + sd[j] * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            }

            var v = boxes.Improvement(y);
            sum += v;
            sumSq += v * v;
        }

        var mean = sum / samples;
        return (mean, Math.Sqrt(Math.Max(0, sumSq / samples - mean * mean) / samples));
    }
}
