using DistillML.Text.Squad;

namespace DistillML.Text.Tests.Squad;

public class SquadScoringTests
{
    [Theory]
    [InlineData("The Cat.", "cat", 1)]
    [InlineData("cat", "cats", 0)]
    [InlineData("", "...", 1)]
    [InlineData("", "x", 0)]
    public void Exact_match_compares_normalized_texts(string gold, string prediction, int expected) =>
        Assert.Equal(expected, SquadScoring.ExactMatch(gold, prediction));

    [Fact]
    public void F1_is_the_harmonic_mean_of_token_precision_and_recall()
    {
        // gold [cat, sat], prediction [cat, sat, down]: precision 2/3, recall 1, F1 0.8.
        Assert.Equal(0.8, SquadScoring.F1("the cat sat", "cat sat down"), 15);
    }

    [Fact]
    public void F1_counts_repeated_tokens_as_a_multiset()
    {
        // gold [b, b, c], prediction [b, c, c]: common {b:1, c:1} = 2, precision = recall = 2/3.
        Assert.Equal(2.0 / 3, SquadScoring.F1("b b c", "b c c"), 15);
    }

    [Fact]
    public void F1_is_zero_without_common_tokens() => Assert.Equal(0, SquadScoring.F1("cat", "dog"));

    [Theory]
    [InlineData("", "", 1)]
    [InlineData("", "...", 1)]
    [InlineData("", "the", 1)]
    [InlineData("", "Denmark", 0)]
    [InlineData("Denmark", "", 0)]
    [InlineData("Denmark", "!?", 0)]
    public void F1_v2_is_one_iff_both_are_empty_when_either_is(string gold, string prediction, double expected) =>
        Assert.Equal(expected, SquadScoring.F1(gold, prediction));

    [Fact]
    public void F1_v1_is_zero_when_both_are_empty()
    {
        Assert.Equal(0, SquadScoring.F1V1("the", "..."));
        Assert.Equal(0.8, SquadScoring.F1V1("the cat sat", "cat sat down"), 15);
    }
}
