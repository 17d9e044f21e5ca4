using DistillML.Tuning.Pareto;

namespace DistillML.Tuning.Tests.Pareto;

public class NonDominatedSortingTests
{
    [Fact]
    public void Non_dominated_sort_splits_points_into_hand_checked_fronts()
    {
        var pts = new[]
        {
            new[] { 1.0, 5.0 }, // 0: front 0
            new[] { 2.0, 2.0 }, // 1: front 0
            new[] { 3.0, 3.0 }, // 2: dominated by 1 -> front 1
            new[] { 5.0, 1.0 }, // 3: front 0
            new[] { 4.0, 4.0 }, // 4: dominated by 1, 2 -> front 2
            new[] { 2.0, 2.0 }, // 5: duplicate of 1 -> front 0
            new[] { 6.0, 6.0 }, // 6: front 3
        };
        var fronts = NonDominatedSorting.Sort(pts);
        Assert.Equal(new[] { 0, 1, 3, 5 }, fronts[0]);
        Assert.Equal(new[] { 2 }, fronts[1]);
        Assert.Equal(new[] { 4 }, fronts[2]);
        Assert.Equal(new[] { 6 }, fronts[3]);
        Assert.Equal(new[] { 0, 1, 3, 5 }, NonDominatedSorting.ParetoIndices(pts));
    }

    [Fact]
    public void Dominance_needs_one_strictly_better_coordinate()
    {
        Assert.True(Dominance.Dominates(new[] { 1.0, 2.0 }, new[] { 1.0, 3.0 }));
        Assert.False(Dominance.Dominates(new[] { 1.0, 2.0 }, new[] { 1.0, 2.0 }));
        Assert.False(Dominance.Dominates(new[] { 0.0, 4.0 }, new[] { 1.0, 3.0 }));
    }
}
