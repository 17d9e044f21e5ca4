using System.Diagnostics;
using DistillML.TestSupport;
using DistillML.Text.Features;
using DistillML.Text.Squad;
using Xunit.Abstractions;

namespace DistillML.Text.Tests.Features;

/// <summary>
/// Every answerable train-v1.1 question whose answer fits in one window must map back from its start/end labels,
/// through the token offsets, to its gold answer (after SQuAD normalization).
/// </summary>
public class SquadRoundTripTests(ITestOutputHelper output)
{
    static readonly Lazy<List<SquadExample>> Train = new(() => SquadDataset.Load(SharedAssets.Squad("train-v1.1.json")).ToList());

    // The whole of train-v1.1 takes a few seconds (the JSON read included), so it runs by default.
    [Fact]
    public void All_training_answers_map_back_through_labels_and_offsets() => RoundTrip(Train.Value, 0.99);

    void RoundTrip(List<SquadExample> examples, double required)
    {
        BertFeaturizer featurizer = Vocab.Featurizer();
        var clock = Stopwatch.StartNew();
        int labelled = 0, equal = 0, notInAnyWindow = 0, windows = 0;
        var misses = new List<string>();
        foreach (SquadExample example in examples)
        {
            IReadOnlyList<QaFeature> features = featurizer.Featurize(example);
            windows += features.Count;
            QaFeature? hit = features.FirstOrDefault(f => f.HasAnswer);
            if (hit is null) { notInAnyWindow++; continue; }
            labelled++;
            string predicted = example.Context[hit.TokenOffsets[hit.StartPosition].Start..hit.TokenOffsets[hit.EndPosition].End];
            string gold = example.Answers[0].Text;
            if (Normalize(predicted) == Normalize(gold)) equal++;
            else if (misses.Count < 15) misses.Add($"{example.Id}: gold '{gold}' -> '{predicted}'");
        }
        double fraction = (double)equal / labelled;
        output.WriteLine($"{examples.Count} questions, {windows} windows, {labelled} labelled, {notInAnyWindow} in no single window; " +
                         $"round trip equal after normalization: {equal}/{labelled} = {fraction:P3}; {clock.Elapsed.TotalSeconds:F1} s");
        foreach (string m in misses) output.WriteLine(m);
        Assert.True(fraction > required, $"Only {fraction:P3} of labelled answers map back to the gold text.");
        Assert.True(labelled > 0.99 * examples.Count);
    }

    /// <summary>SQuAD's answer normalization: lower case, punctuation removed, articles removed, whitespace collapsed.</summary>
    static string Normalize(string s)
    {
        var sb = new System.Text.StringBuilder(s.Length);
        foreach (char c in s.ToLowerInvariant())
            if (!IsPunct(c)) sb.Append(c);
        var words = sb.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w is not ("a" or "an" or "the"));
        return string.Join(' ', words);
    }

    // Python's string.punctuation, which the official script removes.
    static bool IsPunct(char c) => c is >= '!' and <= '/' or >= ':' and <= '@' or >= '[' and <= '`' or >= '{' and <= '~';
}
