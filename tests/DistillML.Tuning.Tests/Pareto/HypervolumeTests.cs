using DistillML.Tuning.Pareto;

namespace DistillML.Tuning.Tests.Pareto;

public class HypervolumeTests
{
    [Fact]
    public void Hypervolume_of_hand_computed_2d_front_is_exact()
    {
        // Staircase of three points under (4, 4): 3*1 + 2*1 + 1*1 = 6.
        var front = new[] { new[] { 1.0, 3.0 }, new[] { 2.0, 2.0 }, new[] { 3.0, 1.0 } };
        Assert.Equal(6.0, Hypervolume.Compute(front, new[] { 4.0, 4.0 }), 12);
    }

    [Fact]
    public void Dominated_duplicate_and_out_of_reference_points_add_nothing()
    {
        var front = new[]
        {
            new[] { 1.0, 3.0 }, new[] { 2.0, 2.0 }, new[] { 3.0, 1.0 },
            new[] { 2.5, 2.5 }, new[] { 2.0, 2.0 }, new[] { 0.5, 4.0 }, new[] { 5.0, 0.0 },
        };
        Assert.Equal(6.0, Hypervolume.Compute(front, new[] { 4.0, 4.0 }), 12);
        Assert.Equal(0.0, Hypervolume.Compute(Array.Empty<double[]>(), new[] { 4.0, 4.0 }));
    }

    [Fact]
    public void Hypervolume_of_hand_computed_3d_front_is_exact()
    {
        // Boxes to (3,3,3): a = 2*2*1 = 4, b = 1*1*2 = 2, overlap at (2,2,2) = 1: 4 + 2 - 1 = 5.
        var front = new[] { new[] { 1.0, 1.0, 2.0 }, new[] { 2.0, 2.0, 1.0 } };
        Assert.Equal(5.0, Hypervolume.Compute(front, new[] { 3.0, 3.0, 3.0 }), 12);
    }

    [Fact]
    public void Hypervolume_of_hand_computed_4d_front_is_exact()
    {
        // a = 2*2*2*1 = 8, b = 1*1*1*2 = 2, overlap at (2,2,2,2) = 1: 8 + 2 - 1 = 9.
        var front = new[] { new[] { 1.0, 1.0, 1.0, 2.0 }, new[] { 2.0, 2.0, 2.0, 1.0 } };
        Assert.Equal(9.0, Hypervolume.Compute(front, new[] { 3.0, 3.0, 3.0, 3.0 }), 12);
    }

    [Fact]
    public void Hypervolume_of_three_4d_points_follows_inclusion_exclusion()
    {
        var pts = new[] { new[] { 0.0, 1.0, 2.0, 1.0 }, new[] { 1.0, 0.0, 1.0, 2.0 }, new[] { 2.0, 2.0, 0.0, 0.0 } };
        var r = new[] { 3.0, 3.0, 3.0, 3.0 };
        double Vol(double[] p) => r.Zip(p, (a, b) => a - b).Aggregate(1.0, (x, y) => x * y);
        double[] Max(params double[][] ps) => Enumerable.Range(0, 4).Select(j => ps.Max(p => p[j])).ToArray();
        var expected = Vol(pts[0]) + Vol(pts[1]) + Vol(pts[2])
            - Vol(Max(pts[0], pts[1])) - Vol(Max(pts[0], pts[2])) - Vol(Max(pts[1], pts[2]))
            + Vol(Max(pts[0], pts[1], pts[2]));
        Assert.Equal(expected, Hypervolume.Compute(pts, r), 10);
    }

    [Theory]
    [InlineData(3, 12)]
    [InlineData(4, 10)]
    [InlineData(5, 8)]
    public void General_hypervolume_agrees_with_a_monte_carlo_estimate(int m, int n)
    {
        var rng = new Random(m * 100 + n);
        var pts = Enumerable.Range(0, n).Select(_ => SpherePoint(rng, m)).ToList();
        var r = Enumerable.Repeat(1.1, m).ToArray();
        var exact = Hypervolume.Compute(pts, r);

        const int samples = 200_000;
        var hits = 0;
        var z = new double[m];
        for (var s = 0; s < samples; s++)
        {
            for (var j = 0; j < m; j++)
            {
                z[j] = rng.NextDouble() * 1.1;
            }

            if (pts.Any(p => Dominance.WeaklyDominates(p, z)))
            {
                hits++;
            }
        }

        var box = Math.Pow(1.1, m);
        var fraction = hits / (double)samples;
        var estimate = fraction * box;
        var se = Math.Sqrt(fraction * (1 - fraction) / samples) * box;
        Assert.InRange(exact, estimate - 4 * se, estimate + 4 * se);
    }

    [Fact]
    public void Three_objective_slice_sweep_agrees_with_the_general_algorithm_on_an_embedded_4d_front()
    {
        // Adding a fourth coordinate equal to 0 for every point with reference 1 leaves the volume unchanged.
        var rng = new Random(7);
        var pts = Enumerable.Range(0, 15).Select(_ => SpherePoint(rng, 3)).ToList();
        var r3 = new[] { 1.1, 1.1, 1.1 };
        var r4 = new[] { 1.1, 1.1, 1.1, 1.0 };
        Assert.Equal(Hypervolume.Compute(pts.Select(p => p.Append(0.0).ToArray()), r4), Hypervolume.Compute(pts, r3), 10);
    }

    internal static double[] SpherePoint(Random rng, int m)
    {
        var v = Enumerable.Range(0, m).Select(_ => Math.Abs(Gaussian(rng))).ToArray();
        var norm = Math.Sqrt(v.Sum(t => t * t));
        return v.Select(t => t / norm).ToArray();
    }

    [Theory]
    [InlineData(2, 40)]
    [InlineData(3, 60)]
    [InlineData(4, 40)]
    [InlineData(5, 25)]
    public void Improvement_is_the_difference_of_hypervolumes_with_and_without_the_candidate(int m, int n)
    {
        var rng = new Random(m * 100 + n);
        // A front on the unit simplex's far side (every point non-dominated) plus a few dominated points.
        var points = Enumerable.Range(0, n).Select(_ =>
        {
            var p = Enumerable.Range(0, m).Select(_ => rng.NextDouble() + 0.05).ToArray();
            double norm = Math.Sqrt(p.Sum(v => v * v));
            return p.Select(v => v / norm).ToArray();
        }).Concat(Enumerable.Range(0, 5).Select(_ => Enumerable.Range(0, m).Select(_ => 0.9 + 0.1 * rng.NextDouble()).ToArray())).ToList();
        var reference = Enumerable.Repeat(1.1, m).ToArray();
        double baseVolume = Hypervolume.Compute(points, reference);
        for (int trial = 0; trial < 30; trial++)
        {
            var candidate = Enumerable.Range(0, m).Select(_ => 1.2 * rng.NextDouble()).ToArray(); // some dominated, some outside
            double expected = Hypervolume.Compute(points.Append(candidate), reference) - baseVolume;
            Assert.Equal(expected, Hypervolume.Improvement(points, candidate, reference), 10);
        }
        Assert.Equal(0, Hypervolume.Improvement(points, points[0], reference)); // a point of the front adds nothing
    }

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
