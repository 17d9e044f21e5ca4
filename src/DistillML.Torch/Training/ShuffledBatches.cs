namespace DistillML.Torch.Training;

/// <summary>
/// Endless epochs of shuffled index batches, optionally grouped by length; the caller takes what it needs.
/// Both orders are a function of the <see cref="Random"/> alone, so a seed repeats them exactly.
/// </summary>
public static class ShuffledBatches
{
    /// <summary>Batches per pool of <see cref="LengthGrouped"/>: Hugging Face's <c>LengthGroupedSampler</c> uses 50.</summary>
    public const int DefaultPoolBatches = 50;

    /// <summary>Each epoch reshuffles 0..count-1 and cuts it into batches of at most <paramref name="batchSize"/>.</summary>
    public static IEnumerable<IReadOnlyList<int>> Indices(int count, int batchSize, Random random)
    {
        var order = Enumerable.Range(0, count).ToArray();
        while (true)
        {
            random.Shuffle(order);
            for (int start = 0; start < order.Length; start += batchSize)
                yield return order[start..Math.Min(order.Length, start + batchSize)];
        }
    }

    /// <summary>
    /// Length-grouped batches (transformers' <c>group_by_length</c>): each epoch shuffles the items, takes pools of
    /// <paramref name="poolBatches"/> batches, sorts each pool by <paramref name="lengths"/> (longest first), cuts it into
    /// batches and shuffles the order of the epoch's batches. Batches then hold windows of similar length, so cutting
    /// each batch to its longest window (as <c>QaBatch</c> does) removes most of the padding, while every epoch still
    /// visits every item once in a random order of batches.
    /// </summary>
    public static IEnumerable<IReadOnlyList<int>> LengthGrouped(IReadOnlyList<int> lengths, int batchSize, Random random, int poolBatches = DefaultPoolBatches)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(poolBatches, 1);
        var order = Enumerable.Range(0, lengths.Count).ToArray();
        int pool = batchSize * poolBatches;
        while (true)
        {
            random.Shuffle(order);
            var batches = new List<int[]>((order.Length + batchSize - 1) / batchSize);
            for (int start = 0; start < order.Length; start += pool)
            {
                // A stable sort of an already shuffled pool: ties keep their random order.
                var sorted = order[start..Math.Min(order.Length, start + pool)].OrderByDescending(i => lengths[i]).ToArray();
                for (int b = 0; b < sorted.Length; b += batchSize)
                    batches.Add(sorted[b..Math.Min(sorted.Length, b + batchSize)]);
            }
            var batchOrder = batches.ToArray();
            random.Shuffle(batchOrder);
            foreach (var batch in batchOrder) yield return batch;
        }
    }

    /// <summary>The batches a trainer uses: length-grouped when <paramref name="groupByLength"/>, else plainly shuffled.</summary>
    public static IEnumerable<IReadOnlyList<int>> For(IReadOnlyList<int> lengths, int batchSize, Random random, bool groupByLength) =>
        groupByLength ? LengthGrouped(lengths, batchSize, random) : Indices(lengths.Count, batchSize, random);

    /// <summary>Share of the token slots of <paramref name="batches"/> that are padding, each batch cut to its longest item.</summary>
    public static double PaddingFraction(IReadOnlyList<int> lengths, IEnumerable<IReadOnlyList<int>> batches)
    {
        long real = 0, slots = 0;
        foreach (var batch in batches)
        {
            int longest = 0;
            foreach (int i in batch) { real += lengths[i]; longest = Math.Max(longest, lengths[i]); }
            slots += (long)longest * batch.Count;
        }
        return slots == 0 ? 0 : 1 - (double)real / slots;
    }
}
