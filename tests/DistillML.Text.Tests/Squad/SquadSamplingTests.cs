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
}
