using System.Diagnostics;
using System.Text.Json;
using DistillML.Text.Features;
using DistillML.Text.Squad;
using DistillML.Torch.Checkpoints;
using DistillML.Torch.Modeling;
using DistillML.Torch.QuestionAnswering;
using DistillML.Torch.Training;
using TorchSharp;

namespace DistillML.Torch.Teachers;

/// <summary>What a pretrained-teacher run trained and measured (written as <c>report.json</c> beside the checkpoint).</summary>
/// <param name="Source">The encoder checkpoint it started from.</param>
/// <param name="Options">The recipe.</param>
/// <param name="Architecture">The architecture actually trained (the encoder's, not a recipe default).</param>
/// <param name="Parameters">Parameters of the trained QA model.</param>
/// <param name="TrainQuestions">Training questions (made unanswerable twins included).</param>
/// <param name="TrainUnanswerable">Of those, the unanswerable ones (SQuAD 2.0 variant; 0 otherwise).</param>
/// <param name="WindowsSeen">Training windows the optimizer saw (steps x batch).</param>
/// <param name="WindowsPerEpoch">Windows in one pass over the training questions.</param>
/// <param name="FineTuning">The fine-tuning run (loss curve, evaluations, throughput).</param>
/// <param name="Dev">Official SQuAD metrics of the kept model on the evaluation set.</param>
/// <param name="DevQuestions">Questions in that set.</param>
/// <param name="Precision">The arithmetic it trained in.</param>
/// <param name="WallTime">Wall time of the whole run.</param>
/// <param name="CheckpointDirectory">Where the teacher is (Hugging Face layout).</param>
public sealed record PretrainedTeacherReport(
    string Source, PretrainedTeacherOptions Options, BertConfig Architecture, long Parameters, int TrainQuestions, int TrainUnanswerable, long WindowsSeen, int WindowsPerEpoch,
    BertQaTrainingReport FineTuning, SquadMetrics Dev, int DevQuestions, Precision Precision, TimeSpan WallTime, string CheckpointDirectory);

/// <summary>
/// A real QA teacher: a pretrained encoder checkpoint (for example one imported with <see cref="BertCheckpoint.ImportOnnx"/>)
/// with a fresh span head, fine-tuned on SQuAD by <see cref="PretrainedTeacherOptions"/>'s recipe. The best model of the
/// periodic evaluations is saved as it improves, so an interrupted run leaves its best teacher so far.
/// </summary>
public static class PretrainedTeacher
{
    /// <summary>The file, beside the checkpoint, that records the recipe and the measurements.</summary>
    public const string ReportFile = "report.json";

    /// <summary>Where the teacher of a run in <paramref name="outputDirectory"/> lives.</summary>
    public static string CheckpointOf(string outputDirectory) => Path.Combine(outputDirectory, "model");

    /// <summary>True when <paramref name="outputDirectory"/> holds a teacher checkpoint, finished or not (a cancelled run keeps its best one).</summary>
    public static bool HoldsCheckpoint(string outputDirectory) => File.Exists(Path.Combine(CheckpointOf(outputDirectory), BertCheckpoint.WeightsFile));

    /// <summary>True when <paramref name="outputDirectory"/> holds a finished run of this source and recipe.</summary>
    public static bool IsTrained(string outputDirectory, string source, PretrainedTeacherOptions options)
    {
        string report = Path.Combine(outputDirectory, ReportFile);
        if (!File.Exists(report) || !File.Exists(Path.Combine(CheckpointOf(outputDirectory), BertCheckpoint.WeightsFile))) return false;
        try
        {
            var root = JsonDocument.Parse(File.ReadAllText(report)).RootElement;
            return root.GetProperty("source").GetString() == Path.GetFullPath(source)
                && root.GetProperty("options").Deserialize<PretrainedTeacherOptions>() == options;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return false; // an unreadable report: train again
        }
    }

    /// <summary>Fine-tunes <paramref name="source"/> and writes the teacher and <see cref="ReportFile"/> into <paramref name="outputDirectory"/>.</summary>
    /// <exception cref="FileNotFoundException">A SQuAD file or the checkpoint is missing.</exception>
    public static PretrainedTeacherReport Train(string source, string squadDirectory, string outputDirectory, PretrainedTeacherOptions options,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var (train, fullDev) = SquadDirectory.Load(squadDirectory, options.Squad2);
        if (options.Squad2 && options.UnanswerableShare > 0) train.AddRange(UnanswerablePairs.Make(train, options.UnanswerableShare, options.Seed, options.UnanswerablePairing));
        if (options.Squad2 && options.Squad2HalfRepeats > 1)
        {
            var half = SquadDataset.Load(SquadDirectory.File(squadDirectory, SquadDirectory.Squad2TrainingHalf));
            for (int r = 1; r < options.Squad2HalfRepeats; r++)
                train.AddRange(half.Select(e => e with { Id = $"{e.Id}_repeat{r}" }));
        }
        var dev = options.MaxDevQuestions is { } max ? fullDev.EvenlySpread(max) : fullDev;
        var quickDev = dev.EvenlySpread(options.EvaluationQuestions);
        var device = TorchDevice.Resolve(options.Device);

        using var headGenerator = new torch.Generator((ulong)options.Seed); // the fresh QA head, apart from other fits in the process
        using var model = BertCheckpoint.Load(source, device, allowNewQaHead: true, adjust: c => c with { AttentionDropout = options.AttentionDropout }, generator: headGenerator);
        string vocab = model.VocabularyPath ?? throw new FileNotFoundException($"The checkpoint '{source}' has no vocab.txt; the teacher needs its vocabulary.", Path.Combine(source, BertCheckpoint.VocabularyFile));
        bool lowerCase = model.LowerCase;
        var featurizer = BertFeaturizer.Create(new FeaturizerOptions
        {
            VocabPath = vocab, MaxSequenceLength = options.SequenceLength, DocStride = options.DocStride, LowerCase = lowerCase,
        });

        string checkpoint = CheckpointOf(outputDirectory);
        var precision = PrecisionDefaults.Resolve(options.Precision, device);
        var fineTuning = new BertQaTrainer(featurizer, new BertQaTrainerOptions
        {
            MaxSteps = options.Steps, BatchSize = options.Batch, Seed = options.Seed, EvaluateEverySteps = options.EvaluateEvery,
            EvaluationBatchSize = 64, BestCheckpointDirectory = checkpoint, Precision = precision,
            Optimization = new TrainingLoopOptions { LearningRate = options.LearningRate, WarmupFraction = options.WarmupFraction, ReportEvery = 20 },
        }).Train(model, train, quickDev, progress, cancellationToken);

        progress?.Report(new TrainingProgress("evaluate (all)", options.Steps, options.Steps, double.NaN, 0, 0, clock.Elapsed, TimeSpan.Zero));
        SquadMetrics metrics;
        using (model.UsePrecision(precision))
            metrics = new BertQaPredictor(model, featurizer, batchSize: 64).Evaluate(dev, cancellationToken);
        model.Save(checkpoint); // the kept (best) weights, with the vocabulary and tokenizer files
        var report = new PretrainedTeacherReport(Path.GetFullPath(source), options, model.Config, model.ParameterCount,
            train.Count, train.Count(e => e.IsImpossible), (long)options.Steps * options.Batch, fineTuning.TrainingWindows, fineTuning, metrics, dev.Count, precision, clock.Elapsed, checkpoint);
        WriteReport(report, Path.Combine(outputDirectory, ReportFile));
        return report;
    }

    static void WriteReport(PretrainedTeacherReport r, string path)
    {
        var json = new
        {
            source = r.Source,
            options = r.Options,
            architecture = new { family = r.Architecture.Family.ToString(), layers = r.Architecture.NumLayers, hidden = r.Architecture.HiddenSize, heads = r.Architecture.NumHeads, intermediate = r.Architecture.IntermediateSize, vocab = r.Architecture.VocabSize },
            parameters = r.Parameters,
            precision = r.Precision.ToString(),
            trainQuestions = r.TrainQuestions,
            trainUnanswerable = r.TrainUnanswerable,
            windowsSeen = r.WindowsSeen,
            windowsPerEpoch = r.WindowsPerEpoch,
            epochs = (double)r.WindowsSeen / Math.Max(1, r.WindowsPerEpoch),
            windowsPerSecond = r.FineTuning.WindowsPerSecond,
            wallTime = r.WallTime.ToString(),
            learningCurve = r.FineTuning.Evaluations.Select(e => new { e.Step, e.Metrics.Exact, e.Metrics.F1, e.Metrics.BestF1 }), // best_f1 is what SQuAD 2.0 keeps the best by
            bestStep = r.FineTuning.Best?.Step,
            devQuestions = r.DevQuestions,
            dev = r.Dev.ToOfficialDictionary().ToDictionary(kv => kv.Key, kv => kv.Value),
        };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        File.WriteAllText(temp, JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
        File.Move(temp, path, overwrite: true);
    }
}
