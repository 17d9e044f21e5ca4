using DistillML.Tuning.Pareto;
using DistillML.Tuning.Sampling;

namespace DistillML.Tuning.Acquisition;

/// <summary>
/// Quasi-Monte Carlo expected hypervolume improvement: the average hypervolume improvement over a fixed set of
/// standard normal samples (a scrambled Sobol sequence pushed through Φ⁻¹), so the estimate is a smooth,
/// deterministic function of the candidate. Improvements use a box decomposition when one of at most
/// <c>maxBoxes</c> boxes exists, else each sample's exclusive hypervolume (<see cref="Hypervolume.Improvement"/>: the
/// front limited to the sample, of which few points stay non-dominated), never the whole front's hypervolume.
/// </summary>
public sealed class MonteCarloEhvi : IHypervolumeImprovement
{
    private readonly double[][] _front;
    private readonly double[] _reference;
    private readonly double[][] _normals;
    private readonly NonDominatedBoxes? _boxes;

    /// <summary>Creates the estimator.</summary>
    /// <param name="front">The current front (minimization).</param>
    /// <param name="reference">The reference point.</param>
    /// <param name="samples">Number of quasi-random samples.</param>
    /// <param name="seed">Seed of the scrambling.</param>
    /// <param name="maxBoxes">Largest box decomposition to use.</param>
    public MonteCarloEhvi(IReadOnlyList<double[]> front, IReadOnlyList<double> reference, int samples = 256, int seed = 0, int maxBoxes = 4096)
    {
        _front = front.ToArray();
        _reference = reference.ToArray();
        var sobol = new SobolSequence(_reference.Length, seed);
        _normals = sobol.Take(samples).Select(u => u.Select(NormalDistribution.Quantile).ToArray()).ToArray();
        _boxes = NonDominatedBoxes.Create(_front, _reference, maxBoxes);
    }

    /// <inheritdoc />
    public double Expected(ReadOnlySpan<double> mean, ReadOnlySpan<double> std)
    {
        var m = _reference.Length;
        var y = new double[m];
        var sum = 0.0;
        foreach (var z in _normals)
        {
            for (var j = 0; j < m; j++)
            {
                y[j] = mean[j] + std[j] * z[j];
            }

            sum += _boxes is not null ? _boxes.Improvement(y) : Hypervolume.Improvement(_front, y, _reference);
        }

        return sum / _normals.Length;
    }
}
