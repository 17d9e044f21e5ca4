using DistillML.Text.Decoding;
using DistillML.Text.Features;
using DistillML.Text.Squad;
using DistillML.Text.Tests.Features;

namespace DistillML.Text.Tests.Decoding;

public class SquadPostProcessorTests
{
    // "Who?" + "a b c d e f g h": 0 [CLS], 1 who, 2 ?, 3 [SEP], 4..11 = a..h (context chars 2*(p-4)), 12 [SEP].
    const string Context = "a b c d e f g h";
    static readonly SquadExample Example = new("q1", "t", Context, "Who?", [], true);
    static QaFeature Window => Vocab.Featurizer().Featurize(Example).Single();

    static (float[] Start, float[] End) Logits(int length = 384)
    {
        var start = new float[length];
        var end = new float[length];
        Array.Fill(start, -10f);
        Array.Fill(end, -10f);
        return (start, end);
    }

    static SquadPrediction Decode(float[] start, float[] end, PostProcessingOptions? options = null)
        => new SquadPostProcessor(options).Predict(Example, [new WindowLogits(Window, start, end)]);

    [Fact]
    public void Picks_the_span_with_the_highest_start_plus_end_logit()
    {
        var (s, e) = Logits();
        s[5] = 5; e[7] = 4;      // b .. d = 9
        s[6] = 3; e[6] = 3;      // c = 6, b .. c = 8, c .. d = 7
        SquadPrediction p = Decode(s, e);
        Assert.Equal("b c d", p.Text);
        Assert.Equal((2, 7), (p.StartChar, p.EndChar));
        Assert.Equal(9f, p.Score);
        Assert.False(p.IsNoAnswer);
    }

    [Fact]
    public void Spans_longer_than_max_answer_length_are_rejected()
    {
        var (s, e) = Logits();
        s[4] = 5; e[8] = 5;      // a .. e: 5 tokens
        s[6] = 1; e[7] = 1;      // c .. d: 2 tokens
        Assert.Equal("c d", Decode(s, e, new PostProcessingOptions { MaxAnswerLength = 2, AllowNoAnswer = false }).Text);
        Assert.Equal("a b c d e", Decode(s, e, new PostProcessingOptions { MaxAnswerLength = 5, AllowNoAnswer = false }).Text);
    }

    [Fact]
    public void Spans_ending_before_they_start_are_rejected()
    {
        var (s, e) = Logits();
        s[9] = 10; e[4] = 10;    // f .. a: reversed, 20
        s[5] = 1; e[6] = 1;      // b .. c: 2 (a .. a and f .. f score 0)
        Assert.Equal("b c", Decode(s, e, new PostProcessingOptions { AllowNoAnswer = false }).Text);
    }

    [Fact]
    public void Spans_in_the_question_or_on_special_tokens_are_rejected()
    {
        var (s, e) = Logits();
        s[1] = 10; e[2] = 10;    // "who ?": question tokens
        s[3] = 9; e[3] = 9;      // [SEP]
        s[12] = 9; e[12] = 9;    // final [SEP]
        s[50] = 9; e[50] = 9;    // padding
        s[10] = 1; e[11] = 1;    // g .. h
        Assert.Equal("g h", Decode(s, e, new PostProcessingOptions { AllowNoAnswer = false }).Text);
    }

    [Fact]
    public void Null_answer_wins_when_its_score_beats_the_best_span_by_more_than_the_threshold()
    {
        var (s, e) = Logits();
        s[0] = 5; e[0] = 5;      // null = 10
        s[5] = 3; e[5] = 3;      // b = 6
        SquadPrediction p = Decode(s, e);
        Assert.True(p.IsNoAnswer);
        Assert.Equal("", p.Text);
        Assert.Equal((-1, -1), (p.StartChar, p.EndChar));
        Assert.Equal(10f, p.NullScore);
        Assert.Equal("b", p.BestSpan!.Text);
        Assert.Equal("", Decode(s, e, new PostProcessingOptions { NullScoreDiffThreshold = 3.9 }).Text);
        Assert.Equal("b", Decode(s, e, new PostProcessingOptions { NullScoreDiffThreshold = 4.0 }).Text);
        Assert.Equal("b", Decode(s, e, new PostProcessingOptions { AllowNoAnswer = false }).Text);
    }

    [Fact]
    public void No_answer_probability_is_the_sigmoid_of_null_minus_best_span_score()
    {
        var (s, e) = Logits();
        s[0] = 1; e[0] = 1;      // null = 2
        s[5] = 2; e[5] = 1;      // best span = 3
        SquadPrediction p = Decode(s, e);
        Assert.Equal(1 / (1 + Math.Exp(1)), p.NoAnswerProbability, 1e-9);
        Assert.Equal("b", p.Text);
    }

    [Fact]
    public void Without_any_valid_span_the_answer_is_empty_with_certainty()
    {
        var (s, e) = Logits(13);
        for (int i = 0; i < 13; i++) { s[i] = i < 4 || i == 12 ? 5 : -100; e[i] = s[i]; }
        SquadPrediction p = Decode(s, e, new PostProcessingOptions { NBestSize = 5, AllowNoAnswer = false });
        Assert.True(p.IsNoAnswer);
        Assert.Empty(p.NBest);
        Assert.Equal(1.0, p.NoAnswerProbability);
    }

    [Fact]
    public void N_best_list_is_sorted_capped_and_its_probabilities_sum_to_one()
    {
        var (s, e) = Logits();
        for (int p = 4; p <= 11; p++) { s[p] = p; e[p] = p; }
        SquadPrediction pred = Decode(s, e, new PostProcessingOptions { NBestSize = 5 });
        Assert.Equal(5, pred.NBest.Count);
        Assert.Equal(pred.NBest.OrderByDescending(c => c.Score).Select(c => c.Score), pred.NBest.Select(c => c.Score));
        Assert.Equal(1.0, pred.NBest.Sum(c => c.Probability), 1e-9);
        Assert.Equal("h", pred.Text);
        Assert.All(pred.NBest, c => Assert.Equal(Context[c.StartChar..c.EndChar], c.Text));
    }

    [Fact]
    public void Across_windows_the_best_scoring_span_wins_and_the_null_score_is_the_lowest()
    {
        const string letters = "a b c d e f g h i j k l m n o p q r s t u v w x y z";
        var example = new SquadExample("q2", "t", letters, "What?", [], true);
        var windows = Vocab.Featurizer(new FeaturizerOptions { MaxSequenceLength = 16, MaxQueryLength = 4, DocStride = 4 }).Featurize(example);
        Assert.Equal(4, windows.Count);   // context tokens 0-10, 7-17, 14-24, 21-25; context starts at position 4
        var logits = windows.Select(_ => Logits(16)).ToList();
        logits[0].Start[4 + 2] = 3; logits[0].End[4 + 3] = 3;     // "c d" = 6 in window 0
        logits[2].Start[4 + 1] = 4; logits[2].End[4 + 2] = 4;     // tokens 15..16 = "p q" = 8 in window 2
        logits[1].Start[0] = 1; logits[1].End[0] = 1;             // null 2 in window 1
        logits[3].Start[0] = -3; logits[3].End[0] = -3;           // null -6 in window 3: the lowest
        for (int w = 0; w < 3; w++) if (w != 1) { logits[w].Start[0] = 2; logits[w].End[0] = 2; }
        var p = new SquadPostProcessor().Predict(example, windows.Select((f, i) => new WindowLogits(f, logits[i].Start, logits[i].End)).ToList());
        Assert.Equal("p q", p.Text);
        Assert.Equal(2, p.BestSpan!.WindowIndex);
        Assert.Equal(-6f, p.NullScore);
    }

    [Fact]
    public void Predict_all_groups_windows_by_example()
    {
        var examples = new[]
        {
            new SquadExample("x", "t", "one two", "Q?", [], true),
            new SquadExample("y", "t", "three four", "Q?", [], true),
        };
        var features = Vocab.Featurizer(new FeaturizerOptions { PadToMaxLength = false }).Featurize(examples).ToList();
        var windows = features.Select(f =>
        {
            var s = new float[f.SequenceLength];
            var e = new float[f.SequenceLength];
            s[f.ContextStart + 1] = 5; e[f.ContextStart + 1] = 5;    // the second context word
            return new WindowLogits(f, s, e);
        }).Reverse();
        var predictions = new SquadPostProcessor().PredictAll(examples, windows);
        Assert.Equal("two", predictions["x"].Text);
        Assert.Equal("four", predictions["y"].Text);
    }

    [Fact]
    public void Logits_shorter_than_the_window_are_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => Decode(new float[5], new float[5]));
        Assert.Contains("q1", e.Message);
    }

    [Fact]
    public void A_window_of_another_question_is_rejected()
    {
        var (s, e) = Logits();
        var other = new SquadExample("other", "t", Context, "Who?", [], true);
        Assert.Throws<ArgumentException>(() => new SquadPostProcessor().Predict(other, [new WindowLogits(Window, s, e)]));
    }
}
