namespace DistillML.Torch.Training;

/// <summary>Endless epochs of shuffled index batches: each epoch reshuffles 0..count-1 and cuts it into batches.</summary>
internal static class ShuffledBatches
{
    /// <summary>Index batches of at most <paramref name="batchSize"/>, epoch after epoch; the caller takes what it needs.</summary>
    public static IEnumerable<IReadOnlyList<int>> Indices(int count, int batchSize, Random random)
    {
        var order = Enumerable.Range(0, count).ToArray();
        while (true)
        {
            random.Shuffle(order);
            for (int start = 0; start < order.Length; start += batchSize)
                yield return order.Skip(start).Take(batchSize).ToList();
        }
    }
}
