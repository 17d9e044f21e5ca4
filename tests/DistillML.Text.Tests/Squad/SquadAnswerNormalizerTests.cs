using DistillML.Text.Squad;

namespace DistillML.Text.Tests.Squad;

/// <summary>Every rule of the official normalize_answer, hand-checked (expected values confirmed with CPython 3.11).</summary>
public class SquadAnswerNormalizerTests
{
    [Theory]
    [InlineData("Denmark", "denmark")]
    [InlineData("THE AN A", "")]
    public void Normalizer_lower_cases(string text, string expected) => Assert.Equal(expected, SquadAnswerNormalizer.Normalize(text));

    [Theory]
    [InlineData("U.S.A.", "usa")]
    [InlineData("rock-n-roll", "rocknroll")]
    [InlineData("don't", "dont")]
    [InlineData("a_b", "ab")]
    [InlineData("The Beatles' \"Abbey Road\"", "beatles abbey road")]
    [InlineData("«a»", "« »")] // only ASCII string.punctuation is removed; « » are not word characters, so "a" is an article
    public void Normalizer_removes_ascii_punctuation(string text, string expected) => Assert.Equal(expected, SquadAnswerNormalizer.Normalize(text));

    [Theory]
    [InlineData("The cat and a dog", "cat and dog")]
    [InlineData("an apple", "apple")]
    [InlineData("A", "")]
    [InlineData("theater", "theater")]
    [InlineData("anthem", "anthem")]
    [InlineData("(the) end", "end")]
    [InlineData("the-end", "theend")] // punctuation goes first, which glues the words
    [InlineData("café a", "café")]
    public void Normalizer_removes_the_articles_a_an_the_as_whole_words(string text, string expected) =>
        Assert.Equal(expected, SquadAnswerNormalizer.Normalize(text));

    [Theory]
    [InlineData("  x\t y \n z ", "x y z")]
    [InlineData("x\u001cy", "x y")] // Python's str.split() splits on U+001C..U+001F, .NET's white space does not include them
    [InlineData("x\u00a0y\u2003z", "x y z")]
    [InlineData("x\u200by", "x\u200by")] // zero-width space is not white space for Python
    public void Normalizer_collapses_white_space_as_python_split(string text, string expected) =>
        Assert.Equal(expected, SquadAnswerNormalizer.Normalize(text));

    [Theory]
    [InlineData("...")]
    [InlineData("!?-'\"()")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("The. a, AN!")]
    public void Normalizer_maps_punctuation_only_empty_and_article_only_answers_to_empty(string text) =>
        Assert.Equal("", SquadAnswerNormalizer.Normalize(text));

    [Theory]
    [InlineData("ΣΑΣ ΟΔΟΣ", "σας οδος")] // Python's lower() writes final sigma at word ends
    [InlineData("İ", "i\u0307")] // and the full lower-case mapping of capital I with dot
    [InlineData("the\u0301", "\u0301")] // combining marks are not \w in Python, so "the" is a whole word
    [InlineData("the\u00b2", "the\u00b2")] // superscript two is \w in Python (numeric), so it is not
    [InlineData("Ⅻ the", "ⅻ")] // letter numbers are \w and lower-cased
    public void Normalizer_follows_python_unicode_semantics(string text, string expected) =>
        Assert.Equal(expected, SquadAnswerNormalizer.Normalize(text));

    [Fact]
    public void Tokens_split_the_normalized_answer_and_are_empty_for_an_empty_one()
    {
        Assert.Equal(["cat", "sat"], SquadAnswerNormalizer.Tokens("The  cat, sat."));
        Assert.Empty(SquadAnswerNormalizer.Tokens("..."));
    }
}
