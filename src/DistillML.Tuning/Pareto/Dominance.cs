namespace DistillML.Tuning.Pareto;

/// <summary>Pareto dominance between objective vectors in minimization convention.</summary>
public static class Dominance
{
    /// <summary>Whether <paramref name="a"/> is no worse than <paramref name="b"/> everywhere and better somewhere.</summary>
    public static bool Dominates(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var strictly = false;
        for (var j = 0; j < a.Length; j++)
        {
            if (a[j] > b[j])
            {
                return false;
            }

            if (a[j] < b[j])
            {
                strictly = true;
            }
        }

        return strictly;
    }

    /// <summary>Whether <paramref name="a"/> is no worse than <paramref name="b"/> in every coordinate.</summary>
    public static bool WeaklyDominates(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        for (var j = 0; j < a.Length; j++)
        {
            if (a[j] > b[j])
            {
                return false;
            }
        }

        return true;
    }
}
