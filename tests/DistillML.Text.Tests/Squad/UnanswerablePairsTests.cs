using DistillML.Text.Squad;

namespace DistillML.Text.Tests.Squad;

public class UnanswerablePairsTests
{
    private static SquadExample Q(string id, string title, string context, string answer) =>
        new(id, title, context, "question " + id, [new SquadAnswer(answer, context.IndexOf(answer, StringComparison.Ordinal))], false);

    // Each paragraph holds the answers of its own questions only.
    private static List<SquadExample> Article(string title, int paragraphs, int questionsPerParagraph) =>
        Enumerable.Range(0, paragraphs).SelectMany(p =>
        {
            string context = $"Paragraph {p} of {title} says " + string.Join(" ", Enumerable.Range(0, questionsPerParagraph).Select(q => $"<{title}{p}x{q}>")) + ".";
            return Enumerable.Range(0, questionsPerParagraph).Select(q => Q($"{title}-{p}-{q}", title, context, $"<{title}{p}x{q}>"));
        }).ToList();

    [Fact]
    public void Made_questions_ask_another_paragraph_of_the_same_article_that_holds_no_answer()
    {
        var examples = Article("A", 5, 4).Concat(Article("B", 3, 4)).ToList();
        var made = UnanswerablePairs.FromOtherParagraphs(examples, share: 1, seed: 7);
        Assert.Equal(examples.Count, made.Count); // every source finds a paragraph: no answer text repeats across paragraphs
        var byId = examples.ToDictionary(e => e.Id);
        foreach (var m in made)
        {
            var source = byId[m.Id[..^UnanswerablePairs.IdSuffix.Length]];
            Assert.True(m.IsImpossible);
            Assert.Empty(m.Answers);
            Assert.Equal(source.Question, m.Question);
            Assert.Equal(source.Title, m.Title);
            Assert.NotEqual(source.Context, m.Context);
            Assert.Contains(m.Context, examples.Where(e => e.Title == source.Title).Select(e => e.Context));
            Assert.DoesNotContain(source.Answers[0].Text, m.Context, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void A_paragraph_that_contains_the_answer_is_never_chosen_even_in_another_case()
    {
        var examples = new List<SquadExample>
        {
            Q("q0", "T", "The capital is Paris.", "Paris"),
            new("q1", "T", "PARIS is large.", "q1?", [new SquadAnswer("large", 9)], false),
        };
        var made = UnanswerablePairs.FromOtherParagraphs(examples, share: 1, seed: 1);
        Assert.Equal(["q1" + UnanswerablePairs.IdSuffix], made.Select(m => m.Id)); // q0's only other paragraph says PARIS
    }

    [Fact]
    public void One_paragraph_articles_and_unanswerable_sources_give_nothing()
    {
        var examples = Article("Solo", 1, 5);
        examples.Add(new SquadExample("imp", "Other", "Some text.", "Why?", [], true));
        examples.Add(new SquadExample("imp2", "Other", "Other text.", "Why not?", [], true));
        Assert.Empty(UnanswerablePairs.FromOtherParagraphs(examples, share: 1, seed: 3));
    }

    [Fact]
    public void The_share_sets_how_many_and_the_seed_which()
    {
        var examples = Article("A", 10, 100);
        var half = UnanswerablePairs.FromOtherParagraphs(examples, 0.5, seed: 11);
        Assert.InRange(half.Count, 420, 580); // binomial(1000, 0.5): sd 16
        Assert.Equal(half.Select(m => (m.Id, m.Context)), UnanswerablePairs.FromOtherParagraphs(examples, 0.5, seed: 11).Select(m => (m.Id, m.Context)));
        Assert.NotEqual(half.Select(m => m.Id), UnanswerablePairs.FromOtherParagraphs(examples, 0.5, seed: 12).Select(m => m.Id));
        Assert.Empty(UnanswerablePairs.FromOtherParagraphs(examples, 0, seed: 11));
        Assert.Throws<ArgumentOutOfRangeException>(() => UnanswerablePairs.FromOtherParagraphs(examples, 1.5, seed: 11));
    }
    [Fact]
    public void Similar_pairing_takes_the_paragraph_sharing_the_rarest_question_words_that_holds_no_answer()
    {
        const string context = "The Normans conquered England in 1066.";
        var examples = new List<SquadExample>
        {
            new("q", "T", context, "When did the Normans conquer England?", [new SquadAnswer("1066", context.IndexOf("1066", StringComparison.Ordinal))], false),
            Q("holds-answer", "T", "The Normans took England in 1066 with ships.", "ships"),    // most similar, but says 1066
            Q("two-rare", "T", "The Normans ruled England for centuries.", "centuries"),       // normans + england
            Q("one-rare", "T", "The Normans came from Normandy.", "Normandy"),                  // normans only
            Q("common", "T", "The rivers flowed.", "rivers"),                                   // "the" only: in every paragraph, worth nothing
        };
        var made = UnanswerablePairs.FromOtherParagraphs(examples, share: 1, seed: 5, UnanswerablePairing.MostSimilarParagraph);
        var pair = Assert.Single(made, m => m.Id == "q" + UnanswerablePairs.IdSuffix);
        Assert.Equal(examples[2].Context, pair.Context);
        Assert.True(pair.IsImpossible);
        // Deterministic: the seed only decides which questions get a pair.
        Assert.Equal(made.Select(m => (m.Id, m.Context)),
            UnanswerablePairs.FromOtherParagraphs(examples, share: 1, seed: 6, UnanswerablePairing.MostSimilarParagraph).Select(m => (m.Id, m.Context)));
    }

    [Fact]
    public void Similar_pairing_keeps_the_share_and_the_rules_of_random_pairing()
    {
        var examples = Article("A", 10, 50).Concat(Article("B", 5, 100)).ToList();
        var similar = UnanswerablePairs.FromOtherParagraphs(examples, 0.5, seed: 3, UnanswerablePairing.MostSimilarParagraph);
        Assert.InRange(similar.Count, 420, 580); // binomial(1000, 0.5): sd 16
        var byId = examples.ToDictionary(e => e.Id);
        foreach (var m in similar)
        {
            var source = byId[m.Id[..^UnanswerablePairs.IdSuffix.Length]];
            Assert.NotEqual(source.Context, m.Context);
            Assert.Contains(m.Context, examples.Where(e => e.Title == source.Title).Select(e => e.Context));
            Assert.DoesNotContain(source.Answers[0].Text, m.Context, StringComparison.OrdinalIgnoreCase);
        }
    }
}
