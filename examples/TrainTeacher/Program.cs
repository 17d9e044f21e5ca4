// Trains the demo teacher: masked-LM self-pretraining on the SQuAD contexts, then QA fine-tuning, then the
// official metric on the dev set. No pretrained weights exist on this machine, so a teacher starts here.
// See README.md beside this file for the command and the measured results.
using System.Diagnostics;
using System.Text.Json;
using DistillML.Text.Features;
using DistillML.Text.Squad;
using DistillML.Torch.Modeling;
using DistillML.Torch.Pretraining;
using DistillML.Torch.QuestionAnswering;
using DistillML.Torch.Training;
using TorchSharp;
using TrainTeacher;

TeacherArguments a;
try { a = TeacherArguments.Parse(args); }
catch (ArgumentException e) { Console.Error.WriteLine(e.Message); return 2; }

string Squad(string name)
{
    string path = Path.Combine(a.DataDir, name);
    if (!File.Exists(path)) throw new FileNotFoundException($"{path} not found. Pass --data-dir pointing at the SQuAD files (in this repository's setup: ../shared/assets/squad).", path);
    return path;
}

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); Console.Error.WriteLine("Stopping after the current step..."); };
var clock = Stopwatch.StartNew();
var progress = new Progress<TrainingProgress>(p => Console.WriteLine(
    $"[{clock.Elapsed:hh\\:mm\\:ss}] {p.Phase} step {p.Step}/{p.TotalSteps} loss {p.Loss:F4} lr {p.LearningRate:E2} {p.ExamplesPerSecond:F1} ex/s eta {p.Eta:hh\\:mm\\:ss}"));

// Data: SQuAD 1.1 train; for the 2.0 variant, plus the half of dev-v2.0 with exact offsets, evaluated on the other half.
var train = SquadDataset.Load(Squad("train-v1.1.json")).ToList();
IReadOnlyList<SquadExample> dev;
if (a.Squad2)
{
    var half = SquadDataset.Load(Squad("dev-v2.0-half-exact-offsets.json"));
    var inHalf = half.Select(e => (e.Context, e.Question)).ToHashSet();
    train.AddRange(half);
    dev = SquadDataset.Load(Squad("dev-v2.0.json")).Where(e => !inHalf.Contains((e.Context, e.Question))).ToList();
}
else dev = SquadDataset.Load(Squad("dev-v1.1.json"));
var quickDev = dev.Where((_, i) => i % Math.Max(1, dev.Count / a.EvaluationQuestions) == 0).Take(a.EvaluationQuestions).ToList();
Console.WriteLine($"train {train.Count:N0} questions, dev {dev.Count:N0} (quick dev {quickDev.Count:N0}), squad2 {a.Squad2}");

var featurizer = BertFeaturizer.Create(new FeaturizerOptions { VocabPath = a.Vocab, MaxSequenceLength = a.SequenceLength, DocStride = a.DocStride });
var vocabulary = WordPieceVocabulary.Load(a.Vocab);
torch.manual_seed(a.Seed);
torch.set_num_threads(Environment.ProcessorCount);
var config = new BertConfig
{
    VocabSize = vocabulary.Count, NumLayers = a.Layers, HiddenSize = a.Hidden, NumHeads = a.Heads,
    IntermediateSize = a.Intermediate, MaxPositionEmbeddings = Math.Max(512, a.SequenceLength),
};
// --init starts from a saved (MLM-pretrained) checkpoint, so several fine-tuning runs can share one pretraining.
using var model = a.Init is null
    ? new BertQaModel(config, DistillML.Torch.TorchDevice.Resolve()) { VocabularyPath = a.Vocab }
    : BertQaModel.Load(a.Init, DistillML.Torch.TorchDevice.Resolve());
model.VocabularyPath ??= a.Vocab;
Console.WriteLine($"model L{a.Layers}/H{a.Hidden}/A{a.Heads}/I{a.Intermediate}: {model.ParameterCount:N0} parameters on {model.Device}");

MaskedLmReport? mlm = null;
if (!a.SkipMlm && a.Init is null)
{
    var contexts = train.Select(e => e.Context).Distinct().ToList();
    mlm = new MaskedLmPretrainer(featurizer.Encoder, vocabulary, new MaskedLmOptions
    {
        SequenceLength = a.MlmSequenceLength, BatchSize = a.MlmBatch, MaxSteps = a.MlmSteps, WholeWordMasking = true, Seed = a.Seed,
        Optimization = new TrainingLoopOptions { LearningRate = a.MlmLearningRate, WarmupFraction = 0.06, ReportEvery = 50 },
    }).Pretrain(model, contexts, progress, cts.Token);
    if (a.MlmOutput is not null) model.Save(a.MlmOutput);
    Console.WriteLine($"MLM: {mlm.Steps} steps over {mlm.Sequences:N0} sequences, loss {mlm.LossCurve.Take(20).Average(p => p.Loss):F3} -> {mlm.LossCurve.TakeLast(20).Average(p => p.Loss):F3}, {mlm.SequencesPerSecond:F1} seq/s, {mlm.WallTime}");
}

var trainer = new BertQaTrainer(featurizer, new BertQaTrainerOptions
{
    MaxSteps = a.QaSteps, BatchSize = a.QaBatch, Seed = a.Seed, EvaluateEverySteps = a.EvaluateEvery,
    EvaluationBatchSize = 64, BestCheckpointDirectory = Path.Combine(a.Output, "model"),
    Optimization = new TrainingLoopOptions { LearningRate = a.QaLearningRate, WarmupFraction = 0.1, ReportEvery = 50 },
});
var qa = trainer.Train(model, train, quickDev, progress, cts.Token);
Console.WriteLine($"QA: {qa.Steps} steps, {qa.TrainingWindows:N0} windows, {qa.WindowsPerSecond:F1} windows/s, best quick-dev F1 {qa.Best?.Metrics.F1:F2} at step {qa.Best?.Step}");

var evaluationClock = Stopwatch.StartNew();
var metrics = new BertQaPredictor(model, featurizer, batchSize: 64).Evaluate(dev, cts.Token);
Console.WriteLine($"dev ({dev.Count:N0} questions, {evaluationClock.Elapsed:mm\\:ss}): " + string.Join(", ", metrics.ToOfficialDictionary().Select(kv => $"{kv.Key} {kv.Value:F2}")));

Directory.CreateDirectory(a.Output);
var report = new
{
    arguments = a,
    parameters = model.ParameterCount,
    wallTime = clock.Elapsed.ToString(),
    mlm = mlm is null ? null : new { mlm.Steps, mlm.Sequences, mlm.SequencesPerSecond, wallTime = mlm.WallTime.ToString(), firstLoss = mlm.LossCurve.Take(20).Average(p => p.Loss), lastLoss = mlm.LossCurve.TakeLast(20).Average(p => p.Loss) },
    qa = new { qa.Steps, qa.TrainingWindows, qa.WindowsPerSecond, wallTime = qa.WallTime.ToString(), evaluations = qa.Evaluations.Select(e => new { e.Step, e.Metrics.Exact, e.Metrics.F1 }) },
    dev = metrics.ToOfficialDictionary().ToDictionary(kv => kv.Key, kv => kv.Value),
};
string reportPath = Path.Combine(a.Output, "report.json");
File.WriteAllText(reportPath + ".tmp", JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
File.Move(reportPath + ".tmp", reportPath, overwrite: true);
Console.WriteLine($"wrote {reportPath} and {Path.Combine(a.Output, "model")} in {clock.Elapsed}");
return 0;
