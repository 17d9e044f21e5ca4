namespace DistillML.Text.Squad;

/// <summary>Evenly spread subsets of SQuAD questions, so a small sample covers every article rather than the first few.</summary>
public static class SquadSampling
{
    /// <summary>
    /// Exactly <paramref name="count"/> questions at indices ⌊i·N/count⌋ (i = 0..count-1), in their order, so the sample
    /// spans the whole file however count compares with N; all of them when count is at least their number.
    /// </summary>
    public static IReadOnlyList<SquadExample> EvenlySpread(this IReadOnlyList<SquadExample> examples, int count)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (count >= examples.Count) return examples;
        var sample = new SquadExample[count];
        for (int i = 0; i < count; i++) sample[i] = examples[(int)((long)i * examples.Count / count)];
        return sample;
    }
}
