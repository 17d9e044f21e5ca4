using DistillML.Tuning.Pareto;

namespace DistillML.Tuning.Tests.Pareto;

public class NonDominatedBoxesTests
{
    [Theory]
    [InlineData(2, 10)]
    [InlineData(3, 10)]
    [InlineData(4, 6)]
    public void Box_decomposition_gives_the_exact_hypervolume_improvement_of_any_point(int m, int n)
    {
        var rng = new Random(m);
        var front = Enumerable.Range(0, n).Select(_ => HypervolumeTests.SpherePoint(rng, m)).ToList();
        var r = Enumerable.Repeat(1.2, m).ToArray();
        var boxes = NonDominatedBoxes.Create(front, r)!;
        for (var t = 0; t < 50; t++)
        {
            var y = Enumerable.Range(0, m).Select(_ => rng.NextDouble() * 1.3 - 0.1).ToArray();
            Assert.Equal(Hypervolume.Improvement(front, y, r), boxes.Improvement(y), 9);
        }
    }

    [Fact]
    public void Two_objective_decomposition_has_one_box_more_than_the_front()
    {
        var front = new[] { new[] { 1.0, 3.0 }, new[] { 2.0, 2.0 }, new[] { 3.0, 1.0 } };
        Assert.Equal(4, NonDominatedBoxes.Create(front, new[] { 4.0, 4.0 })!.Boxes.Count);
    }

    [Fact]
    public void Decomposition_beyond_the_box_limit_is_refused()
    {
        var rng = new Random(1);
        var front = Enumerable.Range(0, 30).Select(_ => HypervolumeTests.SpherePoint(rng, 4)).ToList();
        Assert.Null(NonDominatedBoxes.Create(front, new[] { 1.1, 1.1, 1.1, 1.1 }, maxBoxes: 50));
    }
}
