using System.CommandLine;
using System.Diagnostics;
using DistillML.Text.Features;
using DistillML.Text.Squad;
using DistillML.Torch;
using DistillML.Torch.Distillation;
using DistillML.Torch.Modeling;
using DistillML.Torch.OnnxExport;
using DistillML.Torch.Teachers;
using DistillML.Torch.Training;
using Microsoft.ML;
using Spectre.Console;

namespace DistillML.Cli.Commands;

/// <summary>
/// <c>distillml distill</c>: one student from a teacher checkpoint through <c>ml.Transforms.DistillBert</c>, evaluated
/// beside the teacher on the same dev questions, saved in Hugging Face layout and (with --onnx) exported for ONNX Runtime.
/// The student defaults to DistilBERT's recipe: half the teacher's layers at its width, started from every other layer.
/// </summary>
internal static class DistillCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var teacherDir = new Option<string>("--teacher")
        {
            Description = "Teacher: a checkpoint directory (config.json, model.safetensors, vocab.txt), or minilm / arctic-xs (the pretrained teacher of " +
                          "`distillml teacher`, trained once, " + Torch.Teachers.PretrainedTeacherOptions.DefaultCpuTime + ", and cached in runs/teacher-NAME).",
            DefaultValueFactory = _ => "minilm",
        };
        var data = new Option<DirectoryInfo>("--data-dir") { Description = "Directory with train-v1.1.json and dev-v1.1.json.", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output: OUT/student (Hugging Face layout + distillml.json), OUT/teacher-logits (the cache), OUT/student.onnx with --onnx.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("runs", "distill")) };
        var layers = new Option<int?>("--layers") { Description = "Student layers (default: half the teacher's)." };
        var hidden = new Option<int?>("--hidden") { Description = "Student width (default: the teacher's)." };
        var heads = new Option<int?>("--heads") { Description = "Student attention heads (default: the teacher's)." };
        var intermediate = new Option<int?>("--intermediate") { Description = "Student feed-forward width (default: the teacher's)." };
        var embeddingSize = new Option<int?>("--embedding-size") { Description = "Width of the student's embedding tables; below --hidden, an ELECTRA student with factorised embeddings projected to --hidden (default: --hidden)." };
        var init = new Option<StudentInitialization>("--init") { Description = "Random, TeacherTruncated (every k-th layer, leading blocks, the strongest feed-forward units) or TeacherProjected.", DefaultValueFactory = _ => StudentInitialization.TeacherTruncated };
        var temperature = new Option<double>("--temperature") { Description = "Softmax temperature of the distillation term.", DefaultValueFactory = _ => TrainingDefaults.Temperature };
        var alphaCe = new Option<double>("--alpha-ce") { Description = "Weight of the teacher (KL) term; 0 trains on labels only.", DefaultValueFactory = _ => TrainingDefaults.AlphaCe };
        var alphaSquad = new Option<double?>("--alpha-squad") { Description = "Weight of the label cross-entropy (default: 1 - alpha-ce)." };
        var lr = new Option<double?>("--lr") { Description = "Peak learning rate (AdamW, linear warmup then decay; default 1e-4, 1e-3 for teachers at most 256 wide)." };
        var warmup = new Option<double>("--warmup") { Description = "Fraction of the steps spent warming the learning rate up.", DefaultValueFactory = _ => new DistillBertOptions().WarmupFraction };
        var weightDecay = new Option<double>("--weight-decay") { Description = "AdamW decoupled weight decay.", DefaultValueFactory = _ => new DistillBertOptions().WeightDecay };
        var dropout = new Option<double>("--dropout") { Description = "Student hidden and QA-head dropout.", DefaultValueFactory = _ => new StudentArchitecture().Dropout };
        var attentionDropout = new Option<double>("--attention-dropout") { Description = "Student dropout on attention probabilities.", DefaultValueFactory = _ => new StudentArchitecture().AttentionDropout };
        var steps = new Option<int?>("--steps") { Description = "Optimizer steps (default: --epochs passes)." };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training windows when --steps is not given.", DefaultValueFactory = _ => 2 };
        var batch = new Option<int>("--batch") { Description = "Windows per step.", DefaultValueFactory = _ => 16 };
        var seq = new Option<int>("--seq") { Description = "Window length.", DefaultValueFactory = _ => 384 };
        var stride = new Option<int?>("--stride") { Description = "Window overlap (default: a third of --seq)." };
        var trainQuestions = new Option<int?>("--train-questions") { Description = "Training questions, evenly spread (default: all)." };
        var devQuestions = new Option<int?>("--dev-questions") { Description = "Dev questions, evenly spread (default: all)." };
        var seed = new Option<int>("--seed") { Description = "Seed of initialisation, shuffling and dropout.", DefaultValueFactory = _ => TrainingDefaults.Seed };
        var device = new Option<string?>("--device") { Description = "cpu or cuda (default: cuda when torch sees it)." };
        var onnx = new Option<OnnxWeightFormat?>("--onnx") { Description = "Also export OUT/student.onnx with these weights: Float32, Float16 or Int8." };
        var command = new Command("distill", "Distill one student from a teacher and compare them on the dev set (EM, F1, parameters, questions/s).")
        {
            teacherDir, data, output, layers, hidden, heads, intermediate, embeddingSize, init, temperature, alphaCe, alphaSquad, lr, warmup, weightDecay, dropout, attentionDropout,
            steps, epochs, batch, seq, stride,
            trainQuestions, devQuestions, seed, device, onnx,
        };
        command.SetAction(parse =>
        {
            using var cancel = new CancelOnCtrlC();
            string outDir = parse.GetValue(output)!.FullName;
            try
            {
                string squadDir = parse.GetValue(data)!.FullName;
                var (trainAll, devAll) = SquadDirectory.Load(squadDir, squad2: false);
                var train = SquadSampling.EvenlySpread(trainAll, parse.GetValue(trainQuestions) ?? int.MaxValue);
                var dev = SquadSampling.EvenlySpread(devAll, parse.GetValue(devQuestions) ?? int.MaxValue);
                using var teacher = TeacherCommand.LoadOrTrain(console, parse.GetValue(teacherDir)!, squadDir, null,
                    parse.GetValue(device) is { } d ? TorchDevice.Resolve(d) : null, cancel.Token);
                var tc = teacher.Config;
                int window = Math.Min(parse.GetValue(seq), tc.MaxPositionEmbeddings);
                var shape = StudentArchitecture.WithEmbeddings(parse.GetValue(layers) ?? Math.Max(1, tc.NumLayers / 2), parse.GetValue(hidden) ?? tc.HiddenSize,
                    parse.GetValue(heads) ?? tc.NumHeads, parse.GetValue(intermediate) ?? tc.IntermediateSize, parse.GetValue(dropout), parse.GetValue(attentionDropout),
                    tc.MaxPositionEmbeddings, parse.GetValue(embeddingSize));
                double ce = parse.GetValue(alphaCe);
                var ml = new MLContext(parse.GetValue(seed));
                var trainData = ml.Data.LoadFromSquadExamples(train);
                var devData = ml.Data.LoadFromSquadExamples(dev);
                console.MarkupLineInterpolated($"Teacher {tc.Family} L{tc.NumLayers}/H{tc.HiddenSize}/A{tc.NumHeads}/I{tc.IntermediateSize} ({teacher.ParameterCount:N0} parameters); student L{shape.Layers}/H{shape.Hidden}/A{shape.Heads}/I{shape.Intermediate}{(shape.Family == ModelFamily.Electra ? $"/E{shape.EmbeddingSize} (ELECTRA, factorised embeddings)" : "")}; {train.Count:N0} training and {dev.Count:N0} dev questions.");

                var options = new DistillBertOptions
                {
                    Student = shape, Initialization = parse.GetValue(init), Temperature = parse.GetValue(temperature), AlphaCe = ce,
                    AlphaSquad = parse.GetValue(alphaSquad) ?? 1 - ce, LearningRate = parse.GetValue(lr) ?? TrainingDefaults.DistillationLearningRateFor(tc.HiddenSize),
                    WarmupFraction = parse.GetValue(warmup), WeightDecay = parse.GetValue(weightDecay), Epochs = parse.GetValue(epochs),
                    MaxSteps = parse.GetValue(steps), BatchSize = parse.GetValue(batch), MaxSequenceLength = window,
                    DocStride = parse.GetValue(stride) ?? window / 3, MaxQueryLength = Math.Min(64, window / 3), Seed = parse.GetValue(seed),
                    Device = parse.GetValue(device), TeacherCacheDirectory = Path.Combine(outDir, "teacher-logits"), CancellationToken = cancel.Token,
                };
                using var student = ConsoleProgress.Run(console, progress =>
                {
                    options.Progress = progress;
                    return ml.Transforms.DistillBert(teacher, options).Fit(trainData);
                });

                // Saved before anything else can fail, and never lost: a full disk or a read-only OUT puts it in the temp folder.
                string studentDir = Path.Combine(outDir, "student");
                string? savedInstead = null;
                try
                {
                    ml.Model.SaveDistilled(student, studentDir);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    savedInstead = Path.Combine(Path.GetTempPath(), $"distillml-student-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
                    ml.Model.SaveDistilled(student, savedInstead);
                    console.MarkupLineInterpolated($"[red]Could not save the student to {studentDir} ({e.Message}); saved it to {savedInstead} instead.[/]");
                }

                var inference = new BertQuestionAnsweringOptions { MaxSequenceLength = window, DocStride = options.DocStride, MaxQueryLength = options.MaxQueryLength, Device = options.Device };
                using var teacherQa = ml.Transforms.BertQuestionAnswering(teacher, inference).Fit(devData);
                var rows = new[] { ("teacher", teacher.ParameterCount, Score(ml, teacherQa, devData, dev.Count)), ("student", student.ParameterCount, Score(ml, student, devData, dev.Count)) };
                var table = new Table().AddColumns("model", "parameters", "ratio", "EM", "F1", "questions/s");
                foreach (var (name, parameters, (metrics, perSecond)) in rows)
                    table.AddRow(name, parameters.ToString("N0"), $"{(double)parameters / teacher.ParameterCount:P0}", $"{metrics.Exact:F2}", $"{metrics.F1:F2}", $"{perSecond:F1}");
                console.Write(table);

                var report = student.TrainingReport;
                string teacherLogits = ce == 0 ? "labels only: the teacher was not run"
                    : $"teacher logits {(report.TeacherCacheHit ? "read from" : "computed into")} the cache in {report.TeacherLogitsTime.TotalSeconds:F1} s";
                console.MarkupLineInterpolated($"{report.Steps} steps in {report.WallTime:hh\\:mm\\:ss} ({report.WindowsPerSecond:F1} windows/s); {teacherLogits}.");
                if (savedInstead is not null) return 2; // the training is kept, but not where it was asked for
                console.MarkupLineInterpolated($"Student saved to [bold]{studentDir}[/].");
                if (parse.GetValue(onnx) is { } format)
                {
                    var exported = student.Student.ExportOnnx(Path.Combine(outDir, "student.onnx"), new OnnxExportOptions
                    {
                        WeightFormat = format, VocabularyPath = teacher.VocabularyPath,
                        Featurizer = new FeaturizerOptions { VocabPath = teacher.VocabularyPath, MaxSequenceLength = window, DocStride = options.DocStride, MaxQueryLength = options.MaxQueryLength },
                    });
                    console.MarkupLineInterpolated($"ONNX ({format}): [bold]{exported.Path}[/] ({exported.FileBytes / 1e6:F1} MB).");
                }
                return 0;
            }
            catch (OperationCanceledException)
            {
                console.MarkupLine("[yellow]Cancelled; nothing was saved.[/]");
                return 130;
            }
        });
        return command;
    }

    /// <summary>SQuAD metrics of a scoring transformer on the dev questions, and questions answered per second.</summary>
    private static (SquadMetrics Metrics, double PerSecond) Score(MLContext ml, ITransformer model, IDataView dev, int questions)
    {
        var watch = Stopwatch.StartNew();
        var metrics = ml.QuestionAnswering().Evaluate(model.Transform(dev)); // answering happens at the first read
        return (metrics, questions / watch.Elapsed.TotalSeconds);
    }
}
