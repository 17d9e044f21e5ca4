// Whole-run benchmark: featurize all of dev-v2.0 (11,873 questions) and compare with the raw Microsoft.ML.Tokenizers
// BertTokenizer encoding of question and context (no windows, no offsets) in the same process.
// Usage: dotnet run -c Release --project benchmarks/FeaturizerBench [-- path/to/dev-v2.0.json [vocab.txt] [repeats]]
using System.Diagnostics;
using DistillML.TestSupport;
using DistillML.Text.Features;
using DistillML.Text.Squad;

string squadPath = args.Length > 0 ? args[0] : SharedAssets.Squad("dev-v2.0.json");
string vocabPath = args.Length > 1 ? args[1] : SharedAssets.BertVocab;
int repeats = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5;

var examples = SquadDataset.Load(squadPath).ToList();
var shuffled = examples.OrderBy(_ => Random.Shared.Next()).ToList();
Console.WriteLine($"{examples.Count} questions, {examples.Select(e => e.Context).Distinct().Count()} distinct contexts, " +
                  $"{Environment.ProcessorCount} cores, {repeats} timed runs each (median shown)");

var clock = Stopwatch.StartNew();
BertFeaturizer featurizer = BertFeaturizer.Create(new FeaturizerOptions { VocabPath = vocabPath });
Console.WriteLine($"vocabulary load: {clock.Elapsed.TotalMilliseconds:F0} ms");
var tokenizer = featurizer.Encoder.Tokenizer;

// Baseline: what the library gives without our windowing: ids of question and context, no offsets.
(double Seconds, long Windows) Baseline(List<SquadExample> data)
{
    long tokens = 0;
    foreach (SquadExample e in data)
        tokens += tokenizer.EncodeToIds(e.Question).Count + tokenizer.EncodeToIds(e.Context).Count;
    return (0, tokens);
}

// Cold: a fresh featurizer (empty word-piece cache) on every run, as a one-off featurization of a dataset sees it.
(double Seconds, long Windows) Featurize(List<SquadExample> data, bool fresh)
{
    BertFeaturizer f = fresh ? BertFeaturizer.Create(new FeaturizerOptions { VocabPath = vocabPath }) : featurizer;
    var sw = Stopwatch.StartNew();
    long windows = 0;
    foreach (SquadExample e in data) windows += f.Featurize(e).Count;
    return (sw.Elapsed.TotalSeconds, windows);
}

(double Seconds, long Count) Time(Func<(double, long)> run, bool selfTimed = false)
{
    run(); // warm-up (JIT, caches)
    var runs = new List<(double, long)>();
    for (int i = 0; i < repeats; i++)
    {
        var sw = Stopwatch.StartNew();
        (double inner, long count) = run();
        runs.Add((selfTimed ? inner : sw.Elapsed.TotalSeconds, count));
    }
    return runs.OrderBy(r => r.Item1).ElementAt(runs.Count / 2);
}

var baseline = Time(() => Baseline(examples));
var warm = Time(() => Featurize(examples, fresh: false), selfTimed: true);
var cold = Time(() => Featurize(examples, fresh: true), selfTimed: true);
var shuffledWarm = Time(() => Featurize(shuffled, fresh: false), selfTimed: true);

double qps(double s) => examples.Count / s;
Console.WriteLine($"baseline  BertTokenizer.EncodeToIds(question) + (context): {baseline.Seconds * 1000,8:F0} ms  {qps(baseline.Seconds),9:F0} questions/s  ({baseline.Count} tokens)");
void Report(string name, (double Seconds, long Windows) r) =>
    Console.WriteLine($"{name,-54}: {r.Seconds * 1000,8:F0} ms  {qps(r.Seconds),9:F0} questions/s  {r.Windows / r.Seconds,9:F0} windows/s  " +
                      $"({r.Windows} windows)  ratio to baseline {baseline.Seconds / r.Seconds:F2}x");
Report("BertFeaturizer, warm word cache", warm);
Report("BertFeaturizer, cold (new featurizer each run)", cold);
Report("BertFeaturizer, warm, shuffled (no context reuse)", shuffledWarm);
