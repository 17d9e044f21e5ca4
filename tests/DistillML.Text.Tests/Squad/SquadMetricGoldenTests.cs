using System.Text.Json;
using DistillML.TestSupport;
using DistillML.Text.Squad;
using Xunit.Abstractions;

namespace DistillML.Text.Tests.Squad;

/// <summary>
/// The metric against numbers computed independently, once, by Golden/squad_reference_eval.py (the official scripts'
/// logic in Python 3.11) on the predictions of <see cref="GoldenPredictions"/>.
/// </summary>
public class SquadMetricGoldenTests(ITestOutputHelper output)
{
    const ulong SeedV2 = 20_240_601, SeedV1 = 11;

    [Fact]
    public void Golden_inputs_are_deterministic_and_written_when_asked()
    {
        var dev2 = SquadDataset.Load(SharedAssets.Squad("dev-v2.0.json"));
        var (p1, n1) = GoldenPredictions.For(dev2, SeedV2);
        var (p2, n2) = GoldenPredictions.For(dev2, SeedV2);
        Assert.Equal(p1, p2);
        Assert.Equal(n1, n2);
        string? dir = Environment.GetEnvironmentVariable("DISTILLML_WRITE_GOLDEN");
        if (string.IsNullOrEmpty(dir)) return;
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "preds-v2.json"), JsonSerializer.Serialize(p1));
        File.WriteAllText(Path.Combine(dir, "na-v2.json"), JsonSerializer.Serialize(n1));
        var (v1, _) = GoldenPredictions.For(SquadDataset.Load(SharedAssets.Squad("dev-v1.1.json")), SeedV1, missingFraction: 0.02);
        File.WriteAllText(Path.Combine(dir, "preds-v1.json"), JsonSerializer.Serialize(v1));
        output.WriteLine($"wrote golden inputs to {dir}");
    }

    [Fact]
    public void Metric_matches_the_reference_v2_script_with_no_answer_probabilities_on_dev_v2_0()
    {
        var dev2 = SquadDataset.Load(SharedAssets.Squad("dev-v2.0.json"));
        var (predictions, probabilities) = GoldenPredictions.For(dev2, SeedV2);
        var m = SquadMetric.Evaluate(dev2, predictions, probabilities);
        AssertOfficial(m,
            ("exact", 51.63817063926556), ("f1", 56.53148581930389), ("total", 11873),
            ("HasAns_exact", 40.840080971659916), ("HasAns_f1", 50.64074411818346), ("HasAns_total", 5928),
            ("NoAns_exact", 62.4053826745164), ("NoAns_f1", 62.4053826745164), ("NoAns_total", 5945),
            ("best_exact", 56.683230859934305), ("best_exact_thresh", 0.25),
            ("best_f1", 58.388884087679585), ("best_f1_thresh", 0.25));
    }

    [Fact]
    public void Metric_matches_the_reference_v2_script_at_no_answer_threshold_0_5()
    {
        var dev2 = SquadDataset.Load(SharedAssets.Squad("dev-v2.0.json"));
        var (predictions, probabilities) = GoldenPredictions.For(dev2, SeedV2);
        var m = SquadMetric.Evaluate(dev2, predictions, probabilities, new SquadEvaluationOptions { NoAnswerProbabilityThreshold = 0.5 });
        AssertOfficial(m,
            ("exact", 57.25595889834077), ("f1", 60.300304990121695), ("total", 11873),
            ("HasAns_exact", 24.73009446693657), ("HasAns_f1", 30.827517062704622), ("HasAns_total", 5928),
            ("NoAns_exact", 89.68881412952061), ("NoAns_f1", 89.68881412952061), ("NoAns_total", 5945),
            ("best_exact", 56.683230859934305), ("best_exact_thresh", 0.25),
            ("best_f1", 58.388884087679585), ("best_f1_thresh", 0.25));
    }

    [Fact]
    public void Metric_matches_the_reference_v2_script_without_probabilities()
    {
        var dev2 = SquadDataset.Load(SharedAssets.Squad("dev-v2.0.json"));
        var (predictions, _) = GoldenPredictions.For(dev2, SeedV2);
        var m = SquadMetric.Evaluate(dev2, predictions);
        AssertOfficial(m,
            ("exact", 51.63817063926556), ("f1", 56.53148581930389), ("total", 11873),
            ("HasAns_exact", 40.840080971659916), ("HasAns_f1", 50.64074411818346), ("HasAns_total", 5928),
            ("NoAns_exact", 62.4053826745164), ("NoAns_f1", 62.4053826745164), ("NoAns_total", 5945));
    }

    [Fact]
    public void Metric_matches_the_reference_v1_script_with_missing_predictions_on_dev_v1_1()
    {
        var dev1 = SquadDataset.Load(SharedAssets.Squad("dev-v1.1.json"));
        var (predictions, _) = GoldenPredictions.For(dev1, SeedV1, missingFraction: 0.02);
        var m = SquadMetric.EvaluateV1(dev1, predictions);
        AssertOfficial(m, ("exact_match", 40.037842951750235), ("f1", 50.02009799746125));
        Assert.Equal(10_570, m.Total);
        Assert.Equal(dev1.Count - predictions.Count, m.MissingPredictionIds.Count);
    }

    void AssertOfficial(SquadMetrics metrics, params (string Key, double Value)[] expected)
    {
        var actual = metrics.ToOfficialDictionary();
        foreach (var (key, value) in actual) output.WriteLine($"{key} = {value:R}");
        Assert.Equal(expected.Select(e => e.Key), actual.Select(a => a.Key));
        foreach (var ((key, value), a) in expected.Zip(actual))
            Assert.True(value == a.Value, $"{key}: expected {value:R}, got {a.Value:R}"); // bit-identical: same operations in the same order
    }
}
