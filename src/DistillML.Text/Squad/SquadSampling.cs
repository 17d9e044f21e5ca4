namespace DistillML.Text.Squad;

/// <summary>Evenly spread subsets of SQuAD questions, so a small sample covers every article rather than the first few.</summary>
public static class SquadSampling
{
    /// <summary>Every k-th question so that about <paramref name="count"/> remain; all of them when count is at least their number.</summary>
    public static IReadOnlyList<SquadExample> EvenlySpread(this IReadOnlyList<SquadExample> examples, int count)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return count >= examples.Count ? examples : examples.Where((_, i) => i % Math.Max(1, examples.Count / count) == 0).Take(count).ToList();
    }
}
