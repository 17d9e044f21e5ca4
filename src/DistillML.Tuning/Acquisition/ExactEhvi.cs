using DistillML.Tuning.Pareto;
using DistillML.Tuning.Sampling;

namespace DistillML.Tuning.Acquisition;

/// <summary>
/// Exact expected hypervolume improvement by box decomposition: with the non-dominated region split into
/// disjoint boxes [l, u), HVI(y) = Σ_boxes Π_j (u_j - max(y_j, l_j))⁺ and, for independent marginals,
/// E[(u - max(y, l))⁺] = g(u) - g(l) with g(c) = E[(c - y)⁺] = (c - μ)Φ(z) + σφ(z), z = (c - μ)/σ.
/// Two objectives give m + 1 boxes; more objectives O(m^(M-1)) (see <see cref="NonDominatedBoxes"/>).
/// </summary>
public sealed class ExactEhvi : IHypervolumeImprovement
{
    private readonly int _m;
    private readonly double[][] _values;
    private readonly int[] _lowerIndex;
    private readonly int[] _upperIndex;
    private readonly int _boxCount;

    /// <summary>Builds the evaluator from a box decomposition.</summary>
    public ExactEhvi(NonDominatedBoxes boxes)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        _m = boxes.Objectives;
        _boxCount = boxes.Boxes.Count;
        _values = new double[_m][];
        _lowerIndex = new int[_boxCount * _m];
        _upperIndex = new int[_boxCount * _m];
        for (var j = 0; j < _m; j++)
        {
            var distinct = boxes.Boxes.SelectMany(b => new[] { b.Lower[j], b.Upper[j] })
                .Where(double.IsFinite).Distinct().OrderBy(v => v).ToArray();
            _values[j] = distinct;
            for (var b = 0; b < _boxCount; b++)
            {
                var (lo, up) = boxes.Boxes[b];
                _lowerIndex[b * _m + j] = double.IsNegativeInfinity(lo[j]) ? -1 : Array.BinarySearch(distinct, lo[j]);
                _upperIndex[b * _m + j] = Array.BinarySearch(distinct, up[j]);
            }
        }
    }

    /// <summary>Builds the evaluator for a front and reference point (minimization).</summary>
    public static ExactEhvi? Create(IEnumerable<double[]> front, IReadOnlyList<double> reference, int maxBoxes = 4096) =>
        NonDominatedBoxes.Create(front, reference, maxBoxes) is { } boxes ? new ExactEhvi(boxes) : null;

    /// <summary>The number of boxes in the decomposition.</summary>
    public int BoxCount => _boxCount;

    /// <inheritdoc />
    public double Expected(ReadOnlySpan<double> mean, ReadOnlySpan<double> std)
    {
        var total = 0;
        for (var j = 0; j < _m; j++)
        {
            total += _values[j].Length;
        }

        Span<double> g = total <= 4096 ? stackalloc double[total] : new double[total];
        Span<int> offsets = stackalloc int[_m];
        var o = 0;
        for (var j = 0; j < _m; j++)
        {
            offsets[j] = o;
            foreach (var c in _values[j])
            {
                g[o++] = PartialExpectation(c, mean[j], std[j]);
            }
        }

        var sum = 0.0;
        for (var b = 0; b < _boxCount; b++)
        {
            var product = 1.0;
            for (var j = 0; j < _m && product > 0; j++)
            {
                var up = g[offsets[j] + _upperIndex[b * _m + j]];
                var li = _lowerIndex[b * _m + j];
                var lo = li < 0 ? 0.0 : g[offsets[j] + li];
                product *= Math.Max(0, up - lo);
            }

            sum += product;
        }

        return sum;
    }

    /// <summary>g(c) = E[(c - y)⁺] for y ~ N(μ, σ²); (c - μ)⁺ when σ = 0.</summary>
    public static double PartialExpectation(double c, double mu, double sigma)
    {
        if (sigma <= 1e-300)
        {
            return Math.Max(c - mu, 0);
        }

        var z = (c - mu) / sigma;
        return (c - mu) * NormalDistribution.Cdf(z) + sigma * NormalDistribution.Pdf(z);
    }
}
