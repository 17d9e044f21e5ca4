using DistillML.Text.Squad;

namespace DistillML.Cli;

/// <summary>Evenly spread subsets of SQuAD questions, so a small sample covers every article rather than the first few.</summary>
internal static class QuestionSample
{
    /// <summary>Every k-th question so that about <paramref name="count"/> remain; all of them when count is at least their number.</summary>
    public static IReadOnlyList<SquadExample> Spread(IReadOnlyList<SquadExample> examples, int count) =>
        count >= examples.Count ? examples : examples.Where((_, i) => i % Math.Max(1, examples.Count / count) == 0).Take(count).ToList();
}
