namespace DistillML.Tuning.Pareto;

/// <summary>
/// A disjoint decomposition of the region that the reference point bounds and no point of a front dominates
/// (minimization) into axis-aligned boxes [lower, upper). Lower bounds may be negative infinity.
/// The hypervolume improvement of any y is the sum over boxes of the volume of [max(y, lower), upper),
/// which makes expected hypervolume improvement exact for independent marginals.
/// </summary>
public sealed class NonDominatedBoxes
{
    private NonDominatedBoxes(int objectives, List<(double[] Lower, double[] Upper)> boxes)
    {
        Objectives = objectives;
        Boxes = boxes;
    }

    /// <summary>The number of objectives.</summary>
    public int Objectives { get; }

    /// <summary>The boxes.</summary>
    public IReadOnlyList<(double[] Lower, double[] Upper)> Boxes { get; }

    /// <summary>
    /// Decomposes by slabs along the last objective, recursing on the fronts of the projections:
    /// m + 1 boxes for two objectives, O(m^(M-1)) in general. Returns null when more than
    /// <paramref name="maxBoxes"/> boxes would be needed.
    /// </summary>
    public static NonDominatedBoxes? Create(IEnumerable<double[]> front, IReadOnlyList<double> reference, int maxBoxes = int.MaxValue)
    {
        var r = reference.ToArray();
        var m = r.Length;
        var inside = front.Where(p => p.Zip(r).All(t => t.First < t.Second)).ToList();
        var boxes = new List<(double[], double[])>();
        var lower = new double[m];
        var upper = new double[m];
        return Decompose(inside, r, m, lower, upper, boxes, maxBoxes) ? new NonDominatedBoxes(m, boxes) : null;
    }

    /// <summary>The hypervolume improvement of adding <paramref name="y"/> to the front.</summary>
    public double Improvement(ReadOnlySpan<double> y)
    {
        var total = 0.0;
        foreach (var (lo, up) in Boxes)
        {
            var v = 1.0;
            for (var j = 0; j < Objectives && v > 0; j++)
            {
                v *= Math.Max(0, up[j] - Math.Max(y[j], lo[j]));
            }

            total += v;
        }

        return total;
    }

    private static bool Decompose(List<double[]> points, double[] r, int dims, double[] lower, double[] upper,
        List<(double[], double[])> boxes, int maxBoxes)
    {
        var last = dims - 1;
        var front = NonDominatedProjection(points, dims);
        if (dims == 1)
        {
            lower[0] = double.NegativeInfinity;
            upper[0] = front.Count == 0 ? r[0] : front.Min(p => p[0]);
            if (upper[0] > lower[0])
            {
                boxes.Add(((double[])lower.Clone(), (double[])upper.Clone()));
            }

            return boxes.Count <= maxBoxes;
        }

        var sorted = front.OrderBy(p => p[last]).ToList();
        var bottom = double.NegativeInfinity;
        for (var k = 0; k <= sorted.Count; k++)
        {
            var top = k < sorted.Count ? sorted[k][last] : r[last];
            if (top > bottom)
            {
                lower[last] = bottom;
                upper[last] = top;
                if (!Decompose(sorted.Take(k).ToList(), r, last, lower, upper, boxes, maxBoxes))
                {
                    return false;
                }
            }

            bottom = Math.Max(bottom, top);
        }

        // Reset this level's bounds for the caller's next slab.
        lower[last] = 0;
        upper[last] = 0;
        return boxes.Count <= maxBoxes;
    }

    private static List<double[]> NonDominatedProjection(List<double[]> points, int dims)
    {
        var result = new List<double[]>();
        for (var i = 0; i < points.Count; i++)
        {
            var keep = true;
            for (var k = 0; k < points.Count && keep; k++)
            {
                if (k == i)
                {
                    continue;
                }

                var weakly = true;
                var strictly = false;
                var equal = true;
                for (var j = 0; j < dims; j++)
                {
                    weakly &= points[k][j] <= points[i][j];
                    strictly |= points[k][j] < points[i][j];
                    equal &= points[k][j] == points[i][j];
                }

                keep = !((weakly && strictly) || (equal && k < i));
            }

            if (keep)
            {
                result.Add(points[i]);
            }
        }

        return result;
    }
}
