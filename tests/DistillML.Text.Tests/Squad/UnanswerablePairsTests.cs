using DistillML.TestSupport;
using DistillML.Text.Squad;

namespace DistillML.Text.Tests.Squad;

public class UnanswerablePairsTests(Xunit.Abstractions.ITestOutputHelper output)
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

    private static SquadExample Asked(string id, string context, string question, string answer) =>
        new(id, "Chopin", context, question, [new SquadAnswer(answer, context.IndexOf(answer, StringComparison.Ordinal))], false);

    [Fact]
    public void Swap_replaces_the_rarest_question_name_the_paragraph_holds_with_a_name_of_the_article_it_lacks()
    {
        var examples = new List<SquadExample>
        {
            Asked("q", "Chopin moved to Paris in 1831 after the uprising.", "When did Chopin move to Paris?", "1831"),
            Asked("born", "Chopin was born near Warsaw in 1810.", "Where was Chopin born?", "near Warsaw"),
            Asked("toured", "Chopin toured Vienna and Warsaw.", "What did Chopin tour?", "Vienna and Warsaw"),
        };
        var made = UnanswerablePairs.WithSwappedQuestionWord(examples, share: 1, seed: 4);
        // "chopin" is in every paragraph (idf 0), "move" is not in this one ("moved" is): "Paris" goes, for a name
        // of the article that this paragraph and the question lack.
        var twin = Assert.Single(made, m => m.Id == "q" + UnanswerablePairs.SwappedIdSuffix);
        Assert.Contains(twin.Question, new[] { "When did Chopin move to Vienna?", "When did Chopin move to Warsaw?" });
        Assert.Equal(examples[0].Context, twin.Context);
        Assert.True(twin.IsImpossible);
        Assert.Empty(twin.Answers);
        Assert.Equal(made.Select(m => m.Question), UnanswerablePairs.Make(examples, 1, 4, UnanswerablePairing.SwappedQuestionWord).Select(m => m.Question));
    }

    [Fact]
    public void Swap_takes_numbers_for_numbers_and_never_a_word_of_the_answer()
    {
        var examples = new List<SquadExample>
        {
            Asked("year", "In 1831 the uprising failed and Chopin left.", "What failed in 1831?", "the uprising"),
            Asked("dance", "The Polonaise and the Mazurka are dances.", "Is the Polonaise or the Mazurka older?", "the Polonaise"),
            Asked("other", "Chopin wrote a Mazurka in 1810; the plan failed.", "What did Chopin write?", "a Mazurka"),
        };
        var made = UnanswerablePairs.WithSwappedQuestionWord(examples, share: 1, seed: 9).ToDictionary(m => m.Id, m => m.Question);
        // "failed" is also in the third paragraph, so 1831 is rarer, and its only number-shaped replacement is 1810.
        Assert.Equal("What failed in 1810?", made["year" + UnanswerablePairs.SwappedIdSuffix]);
        // "Polonaise" is the rarest but is the answer: "Mazurka" is swapped (for a name of another paragraph).
        string dance = made["dance" + UnanswerablePairs.SwappedIdSuffix];
        Assert.StartsWith("Is the Polonaise or the ", dance);
        Assert.DoesNotContain("Mazurka", dance);
    }

    [Fact]
    public void Swapped_twins_of_real_squad_questions_differ_in_one_word_that_their_paragraph_lacks()
    {
        var examples = SquadDataset.Load(SharedAssets.Squad("train-v1.1.json")).Take(3000).ToList();
        var made = UnanswerablePairs.WithSwappedQuestionWord(examples, share: 0.5, seed: 2);
        Assert.InRange(made.Count, 800, 1600); // most of the ~1,500 drawn questions name a name or number of their paragraph
        var byId = examples.ToDictionary(e => e.Id);
        foreach (var m in made.Take(12)) output.WriteLine($"{byId[m.Id[..^UnanswerablePairs.SwappedIdSuffix.Length]].Question} -> {m.Question}");
        output.WriteLine($"{made.Count} twins");
        static string[] Words(string text) => System.Text.RegularExpressions.Regex.Matches(text, @"[\p{L}\p{Nd}]+").Select(m => m.Value).ToArray();
        foreach (var m in made)
        {
            var source = byId[m.Id[..^UnanswerablePairs.SwappedIdSuffix.Length]];
            Assert.Equal(source.Context, m.Context);
            string[] before = Words(source.Question), after = Words(m.Question);
            Assert.Equal(before.Length, after.Length);
            int[] changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToArray();
            int at = Assert.Single(changed);
            var paragraph = Words(source.Context).Select(w => w.ToLowerInvariant()).ToHashSet();
            Assert.Contains(before[at].ToLowerInvariant(), paragraph);
            Assert.DoesNotContain(after[at].ToLowerInvariant(), paragraph);
            Assert.DoesNotContain(source.Answers[0].Text, before[at], StringComparison.Ordinal);
        }
        Assert.Equal(made.Select(m => m.Question), UnanswerablePairs.WithSwappedQuestionWord(examples, share: 0.5, seed: 2).Select(m => m.Question));
    }
}
