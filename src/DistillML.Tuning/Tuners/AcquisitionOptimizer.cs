using DistillML.Tuning.Sampling;

namespace DistillML.Tuning.Tuners;

/// <summary>
/// Maximizes an acquisition over the unit cube: score many scrambled-Sobol points and points around given
/// anchors (such as the current Pareto set), then refine the best few by a (1+1) evolution strategy with
/// step-size adaptation. Deterministic for a given seed, whatever the degree of parallelism.
/// </summary>
internal static class AcquisitionOptimizer
{
    public static (double[] X, double Score) Maximize(Func<double[], double> score, int dimension, int seed,
        IReadOnlyList<double[]> anchors, MultiObjectiveBayesianTunerOptions options)
    {
        var rng = new Random(seed);
        var candidates = new List<double[]>(new SobolSequence(dimension, seed).Take(options.RawCandidates));
        foreach (var anchor in anchors)
        {
            for (var k = 0; k < options.CandidatesPerParetoPoint; k++)
            {
                var sigma = k % 2 == 0 ? 0.02 : 0.1;
                candidates.Add(Perturb(anchor, sigma, rng, allCoordinates: k % 4 < 2));
            }
        }

        var scores = new double[candidates.Count];
        Parallel.For(0, candidates.Count, new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism },
            i => scores[i] = Sanitize(score(candidates[i])));

        var order = Enumerable.Range(0, candidates.Count).OrderByDescending(i => scores[i]).ThenBy(i => i).ToList();
        var starts = order.Take(options.LocalSearchStarts).ToArray();
        var results = new (double[] X, double Score)[starts.Length];
        var seeds = starts.Select((_, k) => SeedMixer.Mix(seed, k + 1)).ToArray();
        Parallel.For(0, starts.Length, new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism },
            k => results[k] = LocalSearch(score, candidates[starts[k]], scores[starts[k]], new Random(seeds[k]), options.LocalSearchSteps));

        var best = (X: candidates[order[0]], Score: scores[order[0]]);
        foreach (var r in results)
        {
            if (r.Score > best.Score)
            {
                best = r;
            }
        }

        return best;
    }

    private static (double[] X, double Score) LocalSearch(Func<double[], double> score, double[] x0, double s0, Random rng, int steps)
    {
        var x = x0;
        var s = s0;
        var sigma = 0.05;
        for (var t = 0; t < steps; t++)
        {
            var y = Perturb(x, sigma, rng, allCoordinates: t % 2 == 0);
            var sy = Sanitize(score(y));
            if (sy >= s)
            {
                if (sy > s)
                {
                    sigma = Math.Min(0.3, sigma * 1.5);
                }

                x = y;
                s = sy;
            }
            else
            {
                sigma = Math.Max(1e-4, sigma * 0.85);
            }
        }

        return (x, s);
    }

    private static double[] Perturb(double[] x, double sigma, Random rng, bool allCoordinates)
    {
        var y = (double[])x.Clone();
        if (allCoordinates || y.Length == 1)
        {
            for (var j = 0; j < y.Length; j++)
            {
                y[j] = Math.Clamp(y[j] + sigma * Gaussian(rng), 0, 1);
            }
        }
        else
        {
            var j = rng.Next(y.Length);
            y[j] = Math.Clamp(y[j] + 3 * sigma * Gaussian(rng), 0, 1);
        }

        return y;
    }

    private static double Gaussian(Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static double Sanitize(double v) => double.IsNaN(v) ? double.NegativeInfinity : v;
}
