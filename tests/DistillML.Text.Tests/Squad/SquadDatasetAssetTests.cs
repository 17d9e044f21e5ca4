using System.Diagnostics;
using DistillML.TestSupport;
using DistillML.Text.Squad;
using Xunit.Abstractions;

namespace DistillML.Text.Tests.Squad;

public class SquadDatasetAssetTests(ITestOutputHelper output)
{
    [Fact]
    public void Loader_reads_all_87599_questions_of_train_v1_1()
    {
        var watch = Stopwatch.StartNew();
        var examples = SquadDataset.Load(SharedAssets.Squad("train-v1.1.json"));
        output.WriteLine($"train-v1.1.json: {examples.Count} questions in {watch.ElapsedMilliseconds} ms");
        Assert.Equal(87_599, examples.Count);
        Assert.All(examples, e => Assert.False(e.IsImpossible));
        AssertAnswersSitAtTheirOffsets(examples);
    }

    [Fact]
    public void Loader_reads_all_10570_questions_of_dev_v1_1()
    {
        var examples = SquadDataset.Load(SharedAssets.Squad("dev-v1.1.json"));
        Assert.Equal(10_570, examples.Count);
        Assert.Equal(0, examples.Count(e => e.IsImpossible));
        AssertAnswersSitAtTheirOffsets(examples);
    }

    [Fact]
    public void Loader_reads_dev_v2_0_with_11873_questions_of_which_5945_impossible()
    {
        var examples = SquadDataset.Load(SharedAssets.Squad("dev-v2.0.json"));
        Assert.Equal(11_873, examples.Count);
        Assert.Equal(5_945, examples.Count(e => e.IsImpossible));
        Assert.All(examples, e => Assert.Equal(e.IsImpossible, e.Answers.Count == 0));
        Assert.Equal("56ddde6b9a695914005b9628", examples[0].Id);
        Assert.Equal("Normans", examples[0].Title);
        Assert.Equal("In what country is Normandy located?", examples[0].Question);
        Assert.Equal(new SquadAnswer("France", 159), examples[0].Answers[0]);
        AssertAnswersSitAtTheirOffsets(examples);
    }

    [Fact]
    public void Loader_reads_the_6078_questions_of_dev_v2_0_half_exact_offsets_ignoring_plausible_answers()
    {
        var examples = SquadDataset.Load(SharedAssets.Squad("dev-v2.0-half-exact-offsets.json"));
        Assert.Equal(6_078, examples.Count);
        Assert.All(examples.Where(e => e.IsImpossible), e => Assert.Empty(e.Answers));
        AssertAnswersSitAtTheirOffsets(examples);
    }

    [Fact]
    public void Loader_converts_code_point_offsets_after_astral_characters_in_train_v1_1()
    {
        // The Sumer article's context holds cuneiform signs outside the BMP (surrogate pairs in .NET strings)
        // before some answers; answer_start counts code points, SquadAnswer.Start counts UTF-16 units.
        var examples = SquadDataset.Load(SharedAssets.Squad("train-v1.1.json"));
        var shifted = examples.Where(e => e.Answers.Any(a =>
            e.Context.AsSpan(0, a.Start).IndexOfAnyInRange('\uD800', '\uDFFF') >= 0)).ToList();
        Assert.Equal(8, shifted.Sum(e => e.Answers.Count(a => e.Context.AsSpan(0, a.Start).IndexOfAnyInRange('\uD800', '\uDFFF') >= 0)));
        AssertAnswersSitAtTheirOffsets(shifted);
    }

    [Fact]
    public void Loader_shares_one_context_string_among_the_questions_of_a_paragraph()
    {
        var examples = SquadDataset.Load(SharedAssets.Squad("dev-v1.1.json"));
        Assert.Same(examples[0].Context, examples[1].Context);
    }

    static void AssertAnswersSitAtTheirOffsets(IEnumerable<SquadExample> examples)
    {
        foreach (var e in examples)
            foreach (var a in e.Answers)
                Assert.Equal(a.Text, e.Context.Substring(a.Start, a.Text.Length));
    }
}
