using DistillML.Tuning.Sampling;

namespace DistillML.Tuning.Tests.Sampling;

public class SobolSequenceTests
{
    [Fact]
    public void Sobol_first_points_match_the_joe_kuo_direction_numbers()
    {
        // The first eight points of the unscrambled sequence (e.g. scipy.stats.qmc.Sobol(scramble=False)).
        var expected = new[]
        {
            new[] { 0.0, 0.0, 0.0 },
            new[] { 0.5, 0.5, 0.5 },
            new[] { 0.75, 0.25, 0.25 },
            new[] { 0.25, 0.75, 0.75 },
            new[] { 0.375, 0.375, 0.625 },
            new[] { 0.875, 0.875, 0.125 },
            new[] { 0.625, 0.125, 0.875 },
            new[] { 0.125, 0.625, 0.375 },
        };
        var points = new SobolSequence(3).Take(8);
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(expected[i], points[i]);
        }
    }

    [Fact]
    public void Every_coordinate_of_the_first_power_of_two_points_hits_each_bin_once()
    {
        // (t, s)-net property in one dimension: 2^k points put one point in every interval [i/2^k, (i+1)/2^k).
        var points = new SobolSequence(21).Take(64);
        for (var d = 0; d < 21; d++)
        {
            var bins = points.Select(p => (int)(p[d] * 64)).OrderBy(b => b).ToArray();
            Assert.Equal(Enumerable.Range(0, 64), bins);
        }
    }

    [Fact]
    public void Digital_shift_keeps_the_stratification_and_depends_on_the_seed()
    {
        var a = new SobolSequence(2, scrambleSeed: 1).Take(16);
        var b = new SobolSequence(2, scrambleSeed: 2).Take(16);
        Assert.NotEqual(a[0], b[0]);
        Assert.Equal(Enumerable.Range(0, 16), a.Select(p => (int)(p[0] * 16)).OrderBy(v => v));
        Assert.Equal(a[5], new SobolSequence(2, scrambleSeed: 1).Take(1, skip: 5)[0]);
    }

    [Fact]
    public void Normal_distribution_functions_match_reference_values()
    {
        Assert.Equal(0.9750021048517795, NormalDistribution.Cdf(1.96), 14);
        Assert.Equal(0.5, NormalDistribution.Cdf(0), 15);
        Assert.Equal(1.3498980316301035e-3, NormalDistribution.Cdf(-3), 15);
        Assert.Equal(1.959963984540054, NormalDistribution.Quantile(0.975), 12);
        Assert.Equal(-3.090232306167813, NormalDistribution.Quantile(0.001), 11);
    }

    [Fact]
    public void Points_past_the_direction_table_do_not_depend_on_earlier_calls()
    {
        var sobol = new SobolSequence(JoeKuoDirections.MaxDimension + 3, scrambleSeed: 11);
        var later = sobol.Take(3, skip: 5);
        sobol.Take(40);                                   // other calls in between
        var all = sobol.Take(8);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(all[5 + i], later[i]);
        }

        Assert.All(all.SelectMany(p => p), x => Assert.InRange(x, 0.0, 1.0));
        Assert.NotEqual(all[1][^1], all[2][^1]);
    }
}
