using DistillML.Torch.Training;

namespace DistillML.Torch.Tests.Training;

public class ShuffledBatchesTests
{
    static int[] Lengths(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => random.Next(40, 257)).ToArray();
    }

    [Fact]
    public void Length_grouped_epoch_visits_every_item_once()
    {
        var lengths = Lengths(1234, 1);
        int perEpoch = (1234 + 31) / 32 + 1; // pools may end in a short batch each
        var epoch = ShuffledBatches.LengthGrouped(lengths, 32, new Random(7), poolBatches: 5).Take(200).ToList();
        var seen = new List<int>();
        foreach (var batch in epoch)
        {
            seen.AddRange(batch);
            if (seen.Count >= lengths.Length) break;
        }
        Assert.Equal(Enumerable.Range(0, lengths.Length), seen.Order());
        Assert.True(epoch.TakeWhile((_, i) => epoch.Take(i).Sum(b => b.Count) < lengths.Length).Count() <= perEpoch + 8);
    }

    [Fact]
    public void Length_grouped_batches_repeat_per_seed_and_change_with_it()
    {
        var lengths = Lengths(500, 2);
        var a = ShuffledBatches.LengthGrouped(lengths, 16, new Random(3)).Take(60).SelectMany(b => b).ToArray();
        var b = ShuffledBatches.LengthGrouped(lengths, 16, new Random(3)).Take(60).SelectMany(b => b).ToArray();
        var c = ShuffledBatches.LengthGrouped(lengths, 16, new Random(4)).Take(60).SelectMany(b => b).ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Length_grouping_cuts_padding_and_shuffles_the_batch_order()
    {
        var lengths = Lengths(5000, 3);
        double random = ShuffledBatches.PaddingFraction(lengths, ShuffledBatches.Indices(lengths.Length, 32, new Random(1)).Take(157));
        var grouped = ShuffledBatches.LengthGrouped(lengths, 32, new Random(1)).Take(157).ToList();
        double groupedPadding = ShuffledBatches.PaddingFraction(lengths, grouped);
        Assert.True(random > 0.3, $"random batches: {random}");
        Assert.True(groupedPadding < 0.05, $"grouped batches: {groupedPadding}");
        // Not longest-first across the epoch: the batch maxima are not sorted.
        var maxima = grouped.Select(b => b.Max(i => lengths[i])).ToList();
        Assert.NotEqual(maxima.OrderByDescending(m => m), maxima);
    }
}
