// The main job: distil a BERT SQuAD teacher into a smaller student with DistillML's ML.NET API, then compare them.
//   dotnet run --project examples/SquadDistillation -- --data-dir ../shared/assets/squad [--teacher DIR] [--full]
// Without --teacher it uses runs/teacher-minilm/model (the pretrained MiniLM teacher of `distillml teacher`) when present,
// then runs/teacher/model (examples/TrainTeacher's output), else trains a small demo
// teacher once and caches it under runs/demo-teacher. Writes the student (Hugging Face layout + distillml.json) and
// report.json under --out.
using System.Diagnostics;
using System.Text.Json;
using DistillML;
using DistillML.Text.Squad;
using DistillML.Torch.Teachers;
using DistillML.Torch;
using DistillML.Torch.Distillation;
using DistillML.Torch.Modeling;
using Microsoft.ML;
using Spectre.Console;
using SquadDistillation;

DistillationArguments a;
try { a = DistillationArguments.Parse(args); }
catch (ArgumentException e) { Console.Error.WriteLine(e.Message); return 2; }

string trainPath = Path.Combine(a.DataDir, "train-v1.1.json"), devPath = Path.Combine(a.DataDir, "dev-v1.1.json");
foreach (var path in new[] { trainPath, devPath })
{
    if (File.Exists(path)) continue;
    AnsiConsole.MarkupLineInterpolated($"[red]{path} not found.[/]");
    Console.Error.WriteLine("SQuAD v1.1 is published at https://rajpurkar.github.io/SQuAD-explorer/ (train-v1.1.json and dev-v1.1.json).\n" +
        "Put both files in one directory and pass it as --data-dir DIR (in this repository's setup: --data-dir ../shared/assets/squad).");
    return 2;
}

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); Console.Error.WriteLine("Stopping after the current step..."); };
var clock = Stopwatch.StartNew();
UseAllCores();

var allTrain = SquadDataset.Load(trainPath);
var allDev = SquadDataset.Load(devPath);
var train = allTrain.EvenlySpread(a.TrainQuestions);
var dev = allDev.EvenlySpread(a.DevQuestions);
AnsiConsole.MarkupLineInterpolated($"SQuAD 1.1: [bold]{train.Count:N0}[/] training questions of {allTrain.Count:N0}, [bold]{dev.Count:N0}[/] dev questions of {allDev.Count:N0}");

// The teacher.
BertQaModel teacher;
string teacherSource;
string demoModel = DemoTeacher.CheckpointOf(a.DemoTeacherDir);
string trainTeacherModel = Path.Combine("runs", "teacher", "model");
string pretrainedTeacherModel = Path.Combine("runs", "teacher-minilm", "model");
if (a.Teacher is { } teacherDir)
{
    if (!File.Exists(Path.Combine(teacherDir, "config.json")))
    {
        Console.Error.WriteLine($"--teacher {teacherDir}: no config.json there; pass a Hugging Face QA checkpoint directory (config.json, model.safetensors, vocab.txt).");
        return 2;
    }
    (teacher, teacherSource) = (LoadTeacher(teacherDir), teacherDir);
}
else if (File.Exists(Path.Combine(pretrainedTeacherModel, "config.json"))) (teacher, teacherSource) = (LoadTeacher(pretrainedTeacherModel), pretrainedTeacherModel + " (distillml teacher, MiniLM)");
else if (File.Exists(Path.Combine(trainTeacherModel, "config.json"))) (teacher, teacherSource) = (LoadTeacher(trainTeacherModel), trainTeacherModel + " (examples/TrainTeacher)");
else if (File.Exists(Path.Combine(demoModel, "config.json"))) (teacher, teacherSource) = (LoadTeacher(demoModel), demoModel + " (cached demo teacher)");
else
{
    string vocab = a.Vocab ?? Path.Combine(a.DataDir, "..", "bert-base-uncased-vocab.txt");
    if (!File.Exists(vocab))
    {
        Console.Error.WriteLine($"The demo teacher needs the BERT uncased vocabulary: {vocab} not found. Pass --vocab PATH (bert-base-uncased's vocab.txt, published with the model on the Hugging Face hub) or --teacher DIR.");
        return 2;
    }
    AnsiConsole.MarkupLine("No teacher given: training the demo teacher (masked-LM pretraining, then SQuAD fine-tuning; cached for the next run)...");
    teacher = null!;
    // The library's demo-teacher recipe at a size that trains in a few minutes on 2 cores (the full recipe is
    // examples/TrainTeacher); LoadOrTrain caches it in the demo-teacher directory for the next run.
    var quick = new DemoTeacherOptions
    {
        Layers = 4, Hidden = 128, Heads = 2, Intermediate = 512, MlmSteps = 200, MlmBatch = 32, MlmLearningRate = 1e-3,
        QaSteps = 600, QaLearningRate = 1e-3, EvaluateEvery = 300, EvaluationQuestions = 200, MaxDevQuestions = 500,
        Seed = a.Seed, Device = a.Device,
    };
    AnsiConsole.Progress().AutoClear(false).Columns(Bars()).Start(ctx =>
        teacher = DemoTeacher.LoadOrTrain(a.DataDir, vocab, a.DemoTeacherDir, quick, new SpectreTrainingProgress(ctx, "demo teacher"), cts.Token));
    teacherSource = demoModel + " (demo teacher, trained now)";
}
teacher.eval();
var tc = teacher.Config;
AnsiConsole.MarkupLineInterpolated($"teacher: {teacherSource}: {tc.Family} L{tc.NumLayers}/H{tc.HiddenSize}/A{tc.NumHeads}/I{tc.IntermediateSize}, {teacher.ParameterCount:N0} parameters on {teacher.Device}");

// The student: half the teacher's layers at its width (DistilBERT's recipe, started from every other teacher layer) unless --student says otherwise.
var shape = a.Student is { } s
    ? new StudentArchitecture(s[0], s[1], s[2], s[3], MaxPositions: Math.Max(512, a.SequenceLength))
    : new StudentArchitecture(Math.Max(1, tc.NumLayers / 2), tc.HiddenSize, tc.NumHeads, tc.IntermediateSize, MaxPositions: Math.Max(512, a.SequenceLength));

var ml = new MLContext(seed: a.Seed);
var trainData = ml.Data.LoadFromSquadExamples(train);
var devData = ml.Data.LoadFromSquadExamples(dev);
DistillBertOptions Options(double alphaCe) => new()
{
    Student = shape, Initialization = StudentInitialization.TeacherTruncated, Temperature = a.Temperature, AlphaCe = alphaCe, AlphaSquad = 1 - alphaCe,
    LearningRate = a.LearningRate, WarmupFraction = 0.1, WeightDecay = 0.01, Epochs = 2, MaxSteps = a.DistillSteps, BatchSize = a.BatchSize,
    MaxSequenceLength = a.SequenceLength, DocStride = a.DocStride, Seed = a.Seed, Device = a.Device,
    TeacherCacheDirectory = Path.Combine(a.Output, "teacher-logits"), CancellationToken = cts.Token,
};

var students = new List<(string Name, DistilledBertTransformer Model)>();
void Distill(string name, double alphaCe) => AnsiConsole.Progress().AutoClear(false).Columns(Bars()).Start(ctx =>
{
    var options = Options(alphaCe);
    options.Progress = new SpectreTrainingProgress(ctx, name);
    students.Add((name, ml.Transforms.DistillBert(teacher, options).Fit(trainData)));
});
Distill($"student (α_ce {a.AlphaCe})", a.AlphaCe);
if (a.CompareLabelsOnly && a.AlphaCe != 0) Distill("student (labels only)", 0);

// Side by side on the dev questions.
var rows = new List<(string Name, long Parameters, SquadMetrics Metrics, double PerSecond)>();
(SquadMetrics, double) Score(BertQaTransformer model)
{
    var watch = Stopwatch.StartNew();
    var metrics = ml.QuestionAnswering().Evaluate(model.Transform(devData)); // answering happens here, at the first read
    return (metrics, dev.Count / watch.Elapsed.TotalSeconds);
}
var inference = new BertQuestionAnsweringOptions { MaxSequenceLength = a.SequenceLength, DocStride = a.DocStride };
AnsiConsole.Status().Start("Evaluating...", ctx =>
{
    ctx.Status("Evaluating the teacher");
    using var teacherQa = ml.Transforms.BertQuestionAnswering(teacher, inference).Fit(devData);
    var (tm, tps) = Score(teacherQa);
    rows.Add(("teacher", teacher.ParameterCount, tm, tps));
    foreach (var (name, model) in students)
    {
        ctx.Status($"Evaluating the {name}");
        var (sm, sps) = Score(model);
        rows.Add((name, model.ParameterCount, sm, sps));
    }
});

var table = new Table().AddColumns("model", "parameters", "ratio", "EM", "F1", "questions/s");
foreach (var r in rows)
    table.AddRow(r.Name, r.Parameters.ToString("N0"), $"{(double)r.Parameters / teacher.ParameterCount:P0}", $"{r.Metrics.Exact:F2}", $"{r.Metrics.F1:F2}", $"{r.PerSecond:F1}");
AnsiConsole.Write(table);

var main = students[0].Model;
string studentDir = Path.Combine(a.Output, "student");
ml.Model.SaveDistilled(main, studentDir);
var report = new
{
    arguments = a, teacher = teacherSource, wallTime = clock.Elapsed.ToString(),
    student = new { shape, studentDir, main.TrainingReport.Steps, main.TrainingReport.WallTime, main.TrainingReport.TeacherCacheHit, main.TrainingReport.TeacherLogitsTime, main.TrainingReport.WindowsPerSecond },
    results = rows.Select(r => new { r.Name, r.Parameters, r.Metrics.Exact, r.Metrics.F1, QuestionsPerSecond = r.PerSecond }),
};
Directory.CreateDirectory(a.Output);
File.WriteAllText(Path.Combine(a.Output, "report.json"), JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
AnsiConsole.MarkupLineInterpolated($"teacher logits: {(main.TrainingReport.TeacherCacheHit ? "read from the cache" : "computed and cached")} in {main.TrainingReport.TeacherLogitsTime.TotalSeconds:F1}s");
AnsiConsole.MarkupLineInterpolated($"student saved to [bold]{studentDir}[/]; report in {Path.Combine(a.Output, "report.json")}; total {clock.Elapsed:hh\\:mm\\:ss}");
foreach (var (_, model) in students) model.Dispose();
teacher.Dispose();
return 0;

BertQaModel LoadTeacher(string directory)
{
    return BertQaModel.Load(directory, TorchDevice.Resolve(a.Device)); // reads vocab.txt beside the weights when present
}

static ProgressColumn[] Bars() => [new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn()];

static void UseAllCores() => TorchSharp.torch.set_num_threads(Environment.ProcessorCount);
