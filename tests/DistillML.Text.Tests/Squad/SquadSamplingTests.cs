using DistillML.Text.Squad;

namespace DistillML.Text.Tests.Squad;

public class SquadSamplingTests
{
    private static IReadOnlyList<SquadExample> Questions(int n) =>
        Enumerable.Range(0, n).Select(i => new SquadExample($"q{i}", "t", "c", "q", [], false)).ToList();

    [Fact]
    public void EvenlySpread_takes_every_kth_question_up_to_the_count()
    {
        var spread = Questions(100).EvenlySpread(10);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"q{i * 10}"), spread.Select(e => e.Id));
    }

    [Fact]
    public void EvenlySpread_keeps_everything_when_asked_for_at_least_as_many()
    {
        var all = Questions(7);
        Assert.Same(all, all.EvenlySpread(int.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => all.EvenlySpread(0));
    }

    [Theory]
    [InlineData(10_570, 6_000)]
    [InlineData(10_570, 1_000)]
    [InlineData(1_001, 1_000)]
    public void EvenlySpread_spans_the_whole_file_whatever_the_count(int n, int count)
    {
        var all = Questions(n);
        var spread = all.EvenlySpread(count);
        Assert.Equal(count, spread.Count);
        Assert.Equal(count, spread.Select(e => e.Id).Distinct().Count());
        var indices = spread.Select(e => int.Parse(e.Id[1..])).ToList();
        Assert.Equal(indices.Order(), indices);
        // Every tenth of the file holds a tenth of the sample (within one question of rounding).
        for (int tenth = 0; tenth < 10; tenth++)
            Assert.InRange(indices.Count(i => i * 10L / n == tenth), count / 10 - 1, count / 10 + 1);
        Assert.True(indices[^1] >= n - (n + count - 1) / count, $"last index {indices[^1]} of {n}");
    }
}
