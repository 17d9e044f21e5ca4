using DistillML.TestSupport;
using DistillML.Text.Squad;

namespace DistillML.Text.Tests.Squad;

public class SquadMetricTests
{
    static SquadExample Answerable(string id, params string[] answers) =>
        new(id, "T", "ctx", "Q?", answers.Select(a => new SquadAnswer(a, 0)).ToList(), false);

    static SquadExample Unanswerable(string id) => new(id, "T", "ctx", "Q?", [], true);

    static Dictionary<string, string> Preds(params (string Id, string Text)[] p) => p.ToDictionary(x => x.Id, x => x.Text);

    [Fact]
    public void Metric_on_dev_v2_0_predicting_empty_everywhere_gives_exact_50_07()
    {
        var dev = SquadDataset.Load(SharedAssets.Squad("dev-v2.0.json"));
        var m = SquadMetric.Evaluate(dev, dev.ToDictionary(e => e.Id, _ => ""));
        Assert.Equal(5945 * 100.0 / 11873, m.Exact, 12);
        Assert.Equal(50.07, Math.Round(m.Exact, 2));
        Assert.Equal(m.Exact, m.F1);
        Assert.Equal(new SquadSubsetMetrics(0, 0, 5928), m.HasAns);
        Assert.Equal(new SquadSubsetMetrics(100, 100, 5945), m.NoAns);
        Assert.Null(m.BestExact);
    }

    [Fact]
    public void Metric_on_dev_v2_0_predicting_the_first_gold_answer_gives_100_on_HasAns()
    {
        var dev = SquadDataset.Load(SharedAssets.Squad("dev-v2.0.json"));
        var m = SquadMetric.Evaluate(dev, dev.ToDictionary(e => e.Id, e => e.Answers.Count == 0 ? "" : e.Answers[0].Text));
        Assert.Equal(new SquadSubsetMetrics(100, 100, 5928), m.HasAns);
        Assert.Equal(100, m.Exact);
        Assert.Equal(100, m.F1);
    }

    [Fact]
    public void Metric_on_dev_v1_1_predicting_the_first_gold_answer_gives_100()
    {
        var dev = SquadDataset.Load(SharedAssets.Squad("dev-v1.1.json"));
        var m = SquadMetric.EvaluateV1(dev, dev.ToDictionary(e => e.Id, e => e.Answers[0].Text));
        Assert.Equal(100, m.Exact);
        Assert.Equal(100, m.F1);
        Assert.Equal([new("exact_match", 100.0), new("f1", 100.0)], m.ToOfficialDictionary());
    }

    [Fact]
    public void Metric_takes_the_maximum_over_gold_answers()
    {
        var m = SquadMetric.Evaluate([Answerable("q", "Denmark", "the cat sat")], Preds(("q", "cat sat down")));
        Assert.Equal(0, m.Exact);
        Assert.Equal(80, m.F1, 12);
    }

    [Theory]
    [InlineData("", 100)]
    [InlineData("...", 100)]
    [InlineData("The", 100)]
    [InlineData("Denmark", 0)]
    public void Metric_scores_an_unanswerable_question_one_iff_the_prediction_normalizes_to_empty(string prediction, double expected)
    {
        var m = SquadMetric.Evaluate([Unanswerable("q")], Preds(("q", prediction)));
        Assert.Equal(expected, m.Exact);
        Assert.Equal(expected, m.F1);
        Assert.Null(m.HasAns);
        Assert.Equal(1, m.NoAns!.Total);
    }

    [Fact]
    public void Metric_drops_gold_answers_that_normalize_to_empty_but_keeps_the_question_in_HasAns()
    {
        var m = SquadMetric.Evaluate([Answerable("q", "The")], Preds(("q", "")));
        Assert.Equal(100, m.Exact);
        Assert.Equal(new SquadSubsetMetrics(100, 100, 1), m.HasAns);
    }

    [Fact]
    public void Metric_applies_the_no_answer_threshold_strictly_above()
    {
        SquadExample[] examples = [Answerable("a", "cat"), Unanswerable("b")];
        var preds = Preds(("a", "cat"), ("b", "dog"));
        var probabilities = new Dictionary<string, double> { ["a"] = 0.5, ["b"] = 0.9 };
        var atDefault = SquadMetric.Evaluate(examples, preds, probabilities);
        Assert.Equal(50, atDefault.Exact); // 1.0: nothing is above it
        var atHalf = SquadMetric.Evaluate(examples, preds, probabilities, new SquadEvaluationOptions { NoAnswerProbabilityThreshold = 0.5 });
        Assert.Equal(100, atHalf.Exact); // b (0.9) becomes "no answer", a (0.5) is not above 0.5
        var atZero = SquadMetric.Evaluate(examples, preds, probabilities, new SquadEvaluationOptions { NoAnswerProbabilityThreshold = 0 });
        Assert.Equal(50, atZero.Exact); // a too is now "no answer", which is wrong for it
    }

    [Fact]
    public void Metric_finds_the_best_threshold_as_find_best_thresh_does()
    {
        SquadExample[] examples = [Answerable("q1", "cat"), Unanswerable("q2"), Answerable("q3", "dog")];
        var preds = Preds(("q1", "cat"), ("q2", "x"), ("q3", "bird"));
        var probabilities = new Dictionary<string, double> { ["q3"] = 0.9, ["q1"] = 0.2, ["q2"] = 0.6 };
        // Start 1 (one unanswerable); q1 (0.2) +1 -> 2, best; q2 (0.6) -1 -> 1; q3 (0.9) +0 -> 1.
        var m = SquadMetric.Evaluate(examples, preds, probabilities);
        Assert.Equal(200.0 / 3, m.BestExact!.Value, 12);
        Assert.Equal(0.2, m.BestExactThreshold);
        Assert.Equal(200.0 / 3, m.BestF1!.Value, 12);
        Assert.Equal(0.2, m.BestF1Threshold);
    }

    [Fact]
    public void Metric_best_threshold_stays_zero_when_answering_never_helps()
    {
        var m = SquadMetric.Evaluate([Unanswerable("q")], Preds(("q", "x")), new Dictionary<string, double> { ["q"] = 0.3 });
        Assert.Equal(100, m.BestExact);
        Assert.Equal(0.0, m.BestExactThreshold);
    }

    [Fact]
    public void Metric_skips_missing_predictions_by_default_and_lists_them()
    {
        var m = SquadMetric.Evaluate([Answerable("a", "cat"), Answerable("b", "dog")], Preds(("a", "cat")));
        Assert.Equal(100, m.Exact);
        Assert.Equal(1, m.Total);
        Assert.Equal(["b"], m.MissingPredictionIds);
    }

    [Fact]
    public void Metric_can_score_missing_predictions_as_wrong()
    {
        var m = SquadMetric.Evaluate([Answerable("a", "cat"), Unanswerable("b")], Preds(("a", "cat")),
            options: new SquadEvaluationOptions { MissingPredictions = MissingPredictionPolicy.ScoreZero });
        Assert.Equal(50, m.Exact);
        Assert.Equal(2, m.Total);
        Assert.Equal(new SquadSubsetMetrics(0, 0, 1), m.NoAns);
    }

    [Fact]
    public void Metric_can_reject_missing_predictions_naming_the_question()
    {
        var e = Assert.Throws<ArgumentException>(() => SquadMetric.Evaluate([Answerable("a", "cat")], Preds(),
            options: new SquadEvaluationOptions { MissingPredictions = MissingPredictionPolicy.Throw }));
        Assert.Contains("Missing prediction for question 'a'", e.Message);
    }

    [Fact]
    public void Metric_v1_scores_missing_predictions_zero_by_default()
    {
        var m = SquadMetric.EvaluateV1([Answerable("a", "cat"), Answerable("b", "dog")], Preds(("a", "cat")));
        Assert.Equal(50, m.Exact);
        Assert.Equal(2, m.Total);
        Assert.Equal(["b"], m.MissingPredictionIds);
    }

    [Fact]
    public void Metric_v1_keeps_gold_answers_that_normalize_to_empty()
    {
        var m = SquadMetric.EvaluateV1([Answerable("q", "The")], Preds(("q", "")));
        Assert.Equal(100, m.Exact); // "" == ""
        Assert.Equal(0, m.F1);      // but v1's F1 has no shared token
    }

    [Fact]
    public void Metric_rejects_a_scored_question_without_a_no_answer_probability()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            SquadMetric.Evaluate([Answerable("a", "cat")], Preds(("a", "cat")), new Dictionary<string, double>()));
        Assert.Contains("'a'", e.Message);
    }

    [Fact]
    public void Metric_rejects_duplicate_question_ids()
    {
        var e = Assert.Throws<ArgumentException>(() => SquadMetric.Evaluate([Answerable("a", "x"), Answerable("a", "y")], Preds(("a", "x"))));
        Assert.Contains("'a'", e.Message);
    }

    [Fact]
    public void Metric_v1_rejects_a_question_without_answers()
    {
        var e = Assert.Throws<ArgumentException>(() => SquadMetric.EvaluateV1([Unanswerable("u")], Preds(("u", ""))));
        Assert.Contains("'u'", e.Message);
    }

    [Fact]
    public void Metric_rejects_having_nothing_to_score() =>
        Assert.Throws<ArgumentException>(() => SquadMetric.Evaluate([Answerable("a", "cat")], Preds()));

    [Fact]
    public void Official_dictionary_uses_the_script_keys_in_order()
    {
        var m = SquadMetric.Evaluate([Answerable("a", "cat"), Unanswerable("b")], Preds(("a", "cat"), ("b", "")),
            new Dictionary<string, double> { ["a"] = 0.1, ["b"] = 0.2 });
        Assert.Equal(["exact", "f1", "total", "HasAns_exact", "HasAns_f1", "HasAns_total", "NoAns_exact", "NoAns_f1", "NoAns_total",
            "best_exact", "best_exact_thresh", "best_f1", "best_f1_thresh"], m.ToOfficialDictionary().Select(p => p.Key));
    }

    static DistillML.Text.Decoding.SquadPrediction Predicted(string id, string text, double noAnswer) =>
        new(id, text, text.Length == 0 ? -1 : 0, text.Length, 1, 0, noAnswer, []);

    [Fact]
    public void EvaluatePredictions_scores_v1_data_by_v1_rules_and_v2_data_with_the_predictions_no_answer_probabilities()
    {
        var v1 = SquadMetric.EvaluatePredictions([Answerable("a", "Paris")], new Dictionary<string, DistillML.Text.Decoding.SquadPrediction> { ["a"] = Predicted("a", "Paris", 0.9) });
        Assert.Null(v1.NoAns);
        Assert.Equal(100, v1.F1);

        var examples = new[] { Answerable("a", "Paris"), Unanswerable("b") };
        var predictions = new Dictionary<string, DistillML.Text.Decoding.SquadPrediction> { ["a"] = Predicted("a", "Paris", 0.2), ["b"] = Predicted("b", "", 0.7) };
        var v2 = SquadMetric.EvaluatePredictions(examples, predictions);
        var expected = SquadMetric.Evaluate(examples, new Dictionary<string, string> { ["a"] = "Paris", ["b"] = "" }, new Dictionary<string, double> { ["a"] = 0.2, ["b"] = 0.7 });
        Assert.NotNull(v2.NoAns);
        Assert.Equal(expected.ToOfficialDictionary(), v2.ToOfficialDictionary());
    }
}
