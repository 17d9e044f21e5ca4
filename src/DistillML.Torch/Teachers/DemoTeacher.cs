using System.Diagnostics;
using System.Text.Json;
using DistillML.Text.Features;
using DistillML.Text.Squad;
using DistillML.Torch.Checkpoints;
using DistillML.Torch.Modeling;
using DistillML.Torch.Pretraining;
using DistillML.Torch.QuestionAnswering;
using DistillML.Torch.Training;
using TorchSharp;

namespace DistillML.Torch.Teachers;

/// <summary>
/// Trains the demo teacher from SQuAD files alone (see <see cref="DemoTeacherOptions"/>): MLM on the training
/// contexts, QA fine-tuning with the best dev-subset checkpoint kept, then the official metric on the dev set.
/// <see cref="LoadOrTrain"/> reuses a finished run with the same recipe, so demos train it once.
/// </summary>
public static class DemoTeacher
{
    /// <summary>The file, beside the checkpoint, that records the recipe and the measurements.</summary>
    public const string ReportFile = "report.json";

    /// <summary>Where the teacher checkpoint of a run in <paramref name="outputDirectory"/> lives.</summary>
    public static string CheckpointOf(string outputDirectory) => Path.Combine(outputDirectory, "model");

    /// <summary>Loads the teacher in <paramref name="outputDirectory"/> if a finished run with the same recipe is there; trains it otherwise.</summary>
    public static BertQaModel LoadOrTrain(string squadDirectory, string vocabPath, string outputDirectory, DemoTeacherOptions options,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        string report = Path.Combine(outputDirectory, ReportFile);
        if (File.Exists(report) && Directory.Exists(CheckpointOf(outputDirectory)))
        {
            var recorded = JsonDocument.Parse(File.ReadAllText(report)).RootElement.GetProperty("options").Deserialize<DemoTeacherOptions>();
            if (recorded == options) return BertQaModel.Load(CheckpointOf(outputDirectory), TorchDevice.Resolve(options.Device));
        }
        Train(squadDirectory, vocabPath, outputDirectory, options, progress, cancellationToken);
        return BertQaModel.Load(CheckpointOf(outputDirectory), TorchDevice.Resolve(options.Device));
    }

    /// <summary>Runs the recipe and writes the teacher and <see cref="ReportFile"/> into <paramref name="outputDirectory"/>.</summary>
    /// <exception cref="FileNotFoundException">A SQuAD file or the vocabulary is missing (the message says where SQuAD is published).</exception>
    public static DemoTeacherReport Train(string squadDirectory, string vocabPath, string outputDirectory, DemoTeacherOptions options,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var (train, fullDev) = SquadDirectory.Load(squadDirectory, options.Squad2);
        var dev = options.MaxDevQuestions is { } max ? SquadSampling.EvenlySpread(fullDev, max) : fullDev;
        var quickDev = SquadSampling.EvenlySpread(dev, options.EvaluationQuestions);

        var featurizer = BertFeaturizer.Create(new FeaturizerOptions { VocabPath = vocabPath, MaxSequenceLength = options.SequenceLength, DocStride = options.DocStride });
        var vocabulary = WordPieceVocabulary.Load(vocabPath);
        var device = TorchDevice.Resolve(options.Device);
        using var generator = new torch.Generator((ulong)options.Seed);
        using var model = options.InitFrom is null
            ? new BertQaModel(options.Architecture(vocabulary.Count), device, generator)
            : BertQaModel.Load(options.InitFrom, device);
        model.VocabularyPath ??= vocabPath;

        MaskedLmReport? mlm = null;
        if (options.MlmSteps > 0 && options.InitFrom is null)
            mlm = Pretrain(model, train, featurizer.Encoder, vocabulary, options, progress, cancellationToken);

        string checkpoint = CheckpointOf(outputDirectory);
        var fineTuning = new BertQaTrainer(featurizer, new BertQaTrainerOptions
        {
            MaxSteps = options.QaSteps, BatchSize = options.QaBatch, Seed = options.Seed, EvaluateEverySteps = options.EvaluateEvery,
            EvaluationBatchSize = 64, BestCheckpointDirectory = checkpoint,
            Optimization = new TrainingLoopOptions { LearningRate = options.QaLearningRate, WarmupFraction = 0.1, ReportEvery = 50 },
        }).Train(model, train, quickDev, progress, cancellationToken);

        var metrics = new BertQaPredictor(model, featurizer, batchSize: 64).Evaluate(dev, cancellationToken);
        var report = new DemoTeacherReport(options, model.Config, model.ParameterCount, mlm, fineTuning, metrics, dev.Count, clock.Elapsed, checkpoint);
        WriteReport(report, Path.Combine(outputDirectory, ReportFile));
        return report;
    }

    /// <summary>
    /// Runs only the MLM stage of the recipe and saves the pretrained model to <see cref="DemoTeacherOptions.MlmOutput"/>,
    /// so several fine-tuning runs (<see cref="DemoTeacherOptions.InitFrom"/>) can share one pretraining.
    /// </summary>
    public static MaskedLmReport PretrainOnly(string squadDirectory, string vocabPath, DemoTeacherOptions options,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (options.MlmOutput is null) throw new ArgumentException("MlmOutput must say where the pretrained model goes.", nameof(options));
        if (options.MlmSteps < 1) throw new ArgumentException("MlmSteps must be positive to pretrain.", nameof(options));
        var (train, _) = SquadDirectory.Load(squadDirectory, squad2: false);
        var encoder = BertTextEncoder.Create(vocabPath);
        var vocabulary = WordPieceVocabulary.Load(vocabPath);
        using var generator = new torch.Generator((ulong)options.Seed);
        using var model = new BertQaModel(options.Architecture(vocabulary.Count), TorchDevice.Resolve(options.Device), generator) { VocabularyPath = vocabPath };
        return Pretrain(model, train, encoder, vocabulary, options, progress, cancellationToken);
    }

    static MaskedLmReport Pretrain(BertQaModel model, List<SquadExample> train, BertTextEncoder encoder, WordPieceVocabulary vocabulary,
        DemoTeacherOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var contexts = train.Select(e => e.Context).Distinct().ToList();
        var report = new MaskedLmPretrainer(encoder, vocabulary, new MaskedLmOptions
        {
            SequenceLength = options.MlmSequenceLength, BatchSize = options.MlmBatch, MaxSteps = options.MlmSteps,
            WholeWordMasking = true, Seed = options.Seed,
            Optimization = new TrainingLoopOptions { LearningRate = options.MlmLearningRate, WarmupFraction = 0.06, ReportEvery = 50 },
        }).Pretrain(model, contexts, progress, cancellationToken);
        if (options.MlmOutput is not null) model.Save(options.MlmOutput);
        return report;
    }

    static void WriteReport(DemoTeacherReport r, string path)
    {
        var json = new
        {
            options = r.Options,
            architecture = new { family = r.Architecture.Family.ToString(), layers = r.Architecture.NumLayers, hidden = r.Architecture.HiddenSize, heads = r.Architecture.NumHeads, intermediate = r.Architecture.IntermediateSize, vocab = r.Architecture.VocabSize },
            parameters = r.Parameters,
            wallTime = r.WallTime.ToString(),
            mlm = r.Mlm is null ? null : new
            {
                r.Mlm.Steps, r.Mlm.Sequences, r.Mlm.SequencesPerSecond, wallTime = r.Mlm.WallTime.ToString(),
                firstLoss = r.Mlm.LossCurve.Take(20).Average(p => p.Loss), lastLoss = r.Mlm.LossCurve.TakeLast(20).Average(p => p.Loss),
            },
            fineTuning = new
            {
                r.FineTuning.Steps, windowsSeen = r.WindowsSeen, windowsPerEpoch = r.FineTuning.TrainingWindows, r.FineTuning.WindowsPerSecond, wallTime = r.FineTuning.WallTime.ToString(),
                evaluations = r.FineTuning.Evaluations.Select(e => new { e.Step, e.Metrics.Exact, e.Metrics.F1 }),
            },
            devQuestions = r.DevQuestions,
            dev = r.Dev.ToOfficialDictionary().ToDictionary(kv => kv.Key, kv => kv.Value),
        };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        File.WriteAllText(temp, JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
        File.Move(temp, path, overwrite: true);
    }
}
