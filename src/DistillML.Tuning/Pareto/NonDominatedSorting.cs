namespace DistillML.Tuning.Pareto;

/// <summary>Non-dominated sorting (Deb et al.'s fast algorithm) in minimization convention.</summary>
public static class NonDominatedSorting
{
    /// <summary>
    /// Splits the points into fronts: front 0 holds the non-dominated points, front 1 those dominated only
    /// by front 0, and so on. Each front lists point indices in increasing order. Duplicates share a front.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<int>> Sort(IReadOnlyList<double[]> points)
    {
        var n = points.Count;
        var dominatedBy = new int[n];
        var dominates = new List<int>[n];
        for (var i = 0; i < n; i++)
        {
            dominates[i] = new List<int>();
        }

        for (var i = 0; i < n; i++)
        {
            for (var k = i + 1; k < n; k++)
            {
                if (Dominance.Dominates(points[i], points[k]))
                {
                    dominates[i].Add(k);
                    dominatedBy[k]++;
                }
                else if (Dominance.Dominates(points[k], points[i]))
                {
                    dominates[k].Add(i);
                    dominatedBy[i]++;
                }
            }
        }

        var fronts = new List<IReadOnlyList<int>>();
        var current = Enumerable.Range(0, n).Where(i => dominatedBy[i] == 0).ToList();
        while (current.Count > 0)
        {
            fronts.Add(current);
            var next = new List<int>();
            foreach (var i in current)
            {
                foreach (var k in dominates[i])
                {
                    if (--dominatedBy[k] == 0)
                    {
                        next.Add(k);
                    }
                }
            }

            next.Sort();
            current = next;
        }

        return fronts;
    }

    /// <summary>The indices of the non-dominated points (the first front).</summary>
    public static IReadOnlyList<int> ParetoIndices(IReadOnlyList<double[]> points)
    {
        var result = new List<int>();
        for (var i = 0; i < points.Count; i++)
        {
            var dominated = false;
            for (var k = 0; k < points.Count && !dominated; k++)
            {
                dominated = k != i && Dominance.Dominates(points[k], points[i]);
            }

            if (!dominated)
            {
                result.Add(i);
            }
        }

        return result;
    }
}
