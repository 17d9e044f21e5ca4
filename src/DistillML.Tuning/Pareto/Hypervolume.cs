namespace DistillML.Tuning.Pareto;

/// <summary>
/// Exact hypervolume in minimization convention: the volume dominated by the points and bounded by the
/// reference point. Points that do not strictly dominate the reference point in every coordinate add nothing.
/// Two objectives use a sort and sweep, three a slice sweep over the third objective, more the WFG algorithm
/// (While, Bradstreet and Barone 2012).
/// </summary>
public static class Hypervolume
{
    /// <summary>The hypervolume of <paramref name="points"/> with respect to <paramref name="reference"/>.</summary>
    public static double Compute(IEnumerable<double[]> points, IReadOnlyList<double> reference)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(reference);
        var m = reference.Count;
        var inside = new List<double[]>();
        foreach (var p in points)
        {
            if (p.Length != m)
            {
                throw new ArgumentException($"A point has {p.Length} objectives, the reference point {m}.", nameof(points));
            }

            var ok = true;
            for (var j = 0; j < m && ok; j++)
            {
                ok = p[j] < reference[j];
            }

            if (ok)
            {
                inside.Add(p);
            }
        }

        if (inside.Count == 0)
        {
            return 0;
        }

        var r = reference.ToArray();
        return m switch
        {
            1 => r[0] - inside.Min(p => p[0]),
            2 => TwoD(inside, r),
            3 => ThreeD(inside, r),
            _ => Wfg(NonDominated(inside), r, m),
        };
    }

    /// <summary>
    /// The hypervolume improvement of adding <paramref name="candidate"/> to <paramref name="points"/>, computed as WFG's
    /// exclusive volume: the box between the candidate and the reference, less the hypervolume of the points limited to
    /// it (each point p becomes max(p, candidate)), of which only the non-dominated few remain. Equal to
    /// HV(points ∪ {candidate}) − HV(points) without computing either; 0 when a point weakly dominates the candidate or
    /// the candidate does not dominate the reference point.
    /// </summary>
    public static double Improvement(IReadOnlyList<double[]> points, double[] candidate, IReadOnlyList<double> reference)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(reference);
        var m = reference.Count;
        if (candidate.Length != m)
        {
            throw new ArgumentException($"The candidate has {candidate.Length} objectives, the reference point {m}.", nameof(candidate));
        }

        var box = 1.0;
        for (var j = 0; j < m; j++)
        {
            if (!(candidate[j] < reference[j]))
            {
                return 0;
            }

            box *= reference[j] - candidate[j];
        }

        var limited = new List<double[]>(points.Count);
        foreach (var p in points)
        {
            if (p.Length != m)
            {
                throw new ArgumentException($"A point has {p.Length} objectives, the reference point {m}.", nameof(points));
            }

            if (Dominance.WeaklyDominates(p, candidate))
            {
                return 0;
            }

            var q = new double[m];
            var inside = true;
            for (var j = 0; j < m && inside; j++)
            {
                q[j] = Math.Max(p[j], candidate[j]);
                inside = q[j] < reference[j];
            }

            if (inside)
            {
                limited.Add(q);
            }
        }

        return limited.Count == 0 ? box : box - Compute(NonDominated(limited), reference);
    }

    internal static double TwoD(List<double[]> points, double[] r)
    {
        var sorted = points.OrderBy(p => p[0]).ThenBy(p => p[1]).ToList();
        var volume = 0.0;
        var bestY = r[1];
        foreach (var p in sorted)
        {
            if (p[1] < bestY)
            {
                volume += (r[0] - p[0]) * (bestY - p[1]);
                bestY = p[1];
            }
        }

        return volume;
    }

    private static double ThreeD(List<double[]> points, double[] r)
    {
        // Sweep the third objective upward; between consecutive z values the dominated slice is the 2D
        // hypervolume of the points seen so far.
        var sorted = points.OrderBy(p => p[2]).ToList();
        var volume = 0.0;
        var slice = new List<double[]>();
        var r2 = new[] { r[0], r[1] };
        for (var i = 0; i < sorted.Count; i++)
        {
            slice.Add(sorted[i]);
            var top = i + 1 < sorted.Count ? sorted[i + 1][2] : r[2];
            var height = top - sorted[i][2];
            if (height > 0)
            {
                volume += TwoD(slice, r2) * height;
            }
        }

        return volume;
    }

    private static double Wfg(List<double[]> points, double[] r, int m)
    {
        if (points.Count == 0)
        {
            return 0;
        }

        if (m == 2)
        {
            return TwoD(points, r);
        }

        // Sorting by the last objective (worst first) keeps the limited sets small.
        var ps = points.OrderByDescending(p => p[m - 1]).ToList();
        var volume = 0.0;
        for (var i = 0; i < ps.Count; i++)
        {
            volume += Exclusive(ps, i, r, m);
        }

        return volume;
    }

    private static double Exclusive(List<double[]> ps, int i, double[] r, int m)
    {
        var p = ps[i];
        var inclusive = 1.0;
        for (var j = 0; j < m; j++)
        {
            inclusive *= r[j] - p[j];
        }

        var limited = new List<double[]>(ps.Count - i - 1);
        for (var k = i + 1; k < ps.Count; k++)
        {
            var q = new double[m];
            for (var j = 0; j < m; j++)
            {
                q[j] = Math.Max(p[j], ps[k][j]);
            }

            limited.Add(q);
        }

        return inclusive - Wfg(NonDominated(limited), r, m);
    }

    private static List<double[]> NonDominated(List<double[]> points)
    {
        var result = new List<double[]>(points.Count);
        for (var i = 0; i < points.Count; i++)
        {
            var keep = true;
            for (var k = 0; k < points.Count && keep; k++)
            {
                if (k == i)
                {
                    continue;
                }

                // Drop dominated points and all but the first of duplicates.
                keep = !(Dominance.Dominates(points[k], points[i])
                    || (k < i && points[k].AsSpan().SequenceEqual(points[i])));
            }

            if (keep)
            {
                result.Add(points[i]);
            }
        }

        return result;
    }
}
