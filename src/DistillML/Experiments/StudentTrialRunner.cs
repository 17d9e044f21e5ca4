using System.Diagnostics;
using DistillML.Text.Decoding;
using DistillML.Text.Features;
using DistillML.Text.Squad;
using DistillML.Torch.Distillation;
using DistillML.Torch.Modeling;
using DistillML.Torch.OnnxExport;
using DistillML.Torch.QuestionAnswering;
using DistillML.Torch.Training;
using DistillML.Tuning.Pruners;
using DistillML.Tuning.Storage;
using DistillML.Tuning.Storage.Workers;
using DistillML.Tuning.Trials;

namespace DistillML.Experiments;

/// <summary>
/// Trains one trial's student for a <see cref="TrialWorker"/>: builds it from the teacher, distils it (teacher logits
/// from the shared cache), reports each dev evaluation to the store and the pruner, exports the finished student to
/// ONNX and returns its metrics. A pruned trial ends Pruned with its last F1; one that throws or goes NaN ends Failed.
/// </summary>
internal sealed class StudentTrialRunner
{
    private readonly BertQaModel teacher;
    private readonly IReadOnlyList<SquadExample> train;
    private readonly IReadOnlyList<SquadExample> dev;
    private readonly BertFeaturizer featurizer;
    private readonly PostProcessingOptions postProcessing;
    private readonly DistillationExperimentOptions options;
    private readonly IPruner? pruner;
    private readonly IMonitor monitor;
    private readonly OnnxLatencyModel? latency;
    private readonly int totalSteps;
    private readonly int seed;

    public StudentTrialRunner(BertQaModel teacher, IReadOnlyList<SquadExample> train, IReadOnlyList<SquadExample> dev, BertFeaturizer featurizer,
        PostProcessingOptions postProcessing, DistillationExperimentOptions options, int seed, IPruner? pruner, IMonitor monitor, OnnxLatencyModel? latency)
    {
        (this.teacher, this.train, this.dev, this.featurizer, this.postProcessing, this.options, this.seed, this.pruner, this.monitor, this.latency) =
            (teacher, train, dev, featurizer, postProcessing, options, seed, pruner, monitor, latency);
        int windows = featurizer.Featurize(train).Count();
        totalSteps = options.MaxStepsPerTrial ?? Math.Max(1, (windows + options.BatchSize - 1) / options.BatchSize * options.Epochs);
    }

    public string TeacherCacheDirectory => options.TeacherCacheDirectory ?? Path.Combine(options.OutputDirectory, "teacher-logits");

    private static TrialResult Ended(TrialResult result, Stopwatch clock) => result with { DurationInMilliseconds = clock.Elapsed.TotalMilliseconds };

    private static Dictionary<string, double> Merged(IReadOnlyDictionary<string, double> known, IReadOnlyDictionary<string, double> measured)
    {
        var all = new Dictionary<string, double>(known);
        foreach (var (name, value) in measured) all[name] = value;
        return all;
    }

    public async Task<TrialResult> RunAsync(RunningTrial running, CancellationToken cancellationToken)
    {
        var record = running.Record;
        var clock = Stopwatch.StartNew();
        ExperimentTrial trial = ExperimentTrial.FromRecord(record) with { State = TrialState.Running };
        try
        {
            var settings = StudentTrialSettings.From(record.Parameter, teacher.Config.MaxPositionEmbeddings);
            long parameters = settings.ParameterCount(teacher.Config.VocabSize);
            trial = ExperimentTrial.Running(record, settings, parameters);
            monitor.ReportRunningTrial(trial);
            var finished = await Task.Run(() => Train(running, trial, settings, cancellationToken), cancellationToken).ConfigureAwait(false);
            foreach (var (name, path) in finished.Artifacts)
                await running.SetArtifactAsync(name, path, CancellationToken.None).ConfigureAwait(false);
            var metrics = new Dictionary<string, double>(finished.Metrics) { [StudentMetrics.TrainSeconds] = clock.Elapsed.TotalSeconds };
            monitor.ReportCompletedTrial(trial with
            {
                State = TrialState.Completed,
                Metrics = Merged(trial.Metrics, metrics),
                Artifacts = finished.Artifacts,
                DurationInMilliseconds = clock.Elapsed.TotalMilliseconds,
            });
            return Ended(record.Completed(metrics, clock.Elapsed.TotalSeconds), clock);
        }
        catch (TrialPrunedException pruned)
        {
            var metrics = new Dictionary<string, double> { [StudentMetrics.F1] = pruned.F1, [StudentMetrics.TrainSeconds] = clock.Elapsed.TotalSeconds };
            if (trial.Parameters is { } p) metrics[StudentMetrics.Parameters] = p;
            monitor.ReportCompletedTrial(trial with
            {
                State = TrialState.Pruned,
                Metrics = Merged(trial.Metrics, metrics),
                DurationInMilliseconds = clock.Elapsed.TotalMilliseconds,
            });
            return Ended(record.Pruned(metrics, clock.Elapsed.TotalSeconds), clock);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw; // the worker gives the trial back to the store
        }
        catch (Exception e)
        {
            monitor.ReportFailTrial(trial with { State = TrialState.Failed, Error = e.Message, DurationInMilliseconds = clock.Elapsed.TotalMilliseconds }, e);
            return Ended(record.Failed($"{e.GetType().Name}: {e.Message}", clock.Elapsed.TotalSeconds), clock);
        }
    }

    private (Dictionary<string, double> Metrics, Dictionary<string, string> Artifacts) Train(RunningTrial running, ExperimentTrial trial,
        StudentTrialSettings settings, CancellationToken cancellationToken)
    {
        var student = StudentInitializer.Create(teacher, settings.Architecture.ToConfig(teacher.Config), settings.Initialization ?? options.Initialization, seed);
        using (student)
        {
            var report = new DistillationTrainer(featurizer, new DistillationOptions
            {
                Temperature = settings.Temperature, AlphaCe = settings.AlphaCe, AlphaSquad = settings.AlphaSquad, Epochs = options.Epochs,
                MaxSteps = options.MaxStepsPerTrial, BatchSize = options.BatchSize, EvaluationBatchSize = options.InferenceBatchSize, Seed = seed,
                EvaluateEverySteps = options.EvaluateEverySteps, TeacherCacheDirectory = TeacherCacheDirectory, LiveTeacher = !options.UseTeacherLogitCache, PostProcessing = postProcessing,
                Optimization = new TrainingLoopOptions { LearningRate = settings.LearningRate, WarmupFraction = settings.WarmupFraction, WeightDecay = settings.WeightDecay },
                OnEvaluation = evaluation => OnEvaluation(running, trial, evaluation, cancellationToken),
            }).Train(teacher, student, train, dev, new MonitorProgress(monitor, trial), cancellationToken);
            var best = report.Best ?? throw new InvalidOperationException("The student was never evaluated: the dev set is empty.");
            if (!double.IsFinite(best.Metrics.F1)) throw new TrainingDivergedException(report.Steps, best.Metrics.F1);

            var metrics = new Dictionary<string, double>
            {
                [StudentMetrics.F1] = best.Metrics.F1, [StudentMetrics.ExactMatch] = best.Metrics.Exact, [StudentMetrics.Parameters] = student.ParameterCount,
                [StudentMetrics.TeacherCacheHit] = report.TeacherCacheHit ? 1 : 0,
            };
            if (latency is not null) metrics[StudentMetrics.LatencyMs] = latency.MeasureMs(settings.Architecture);

            string directory = Path.GetFullPath(Path.Combine(options.OutputDirectory, "trials", Safe(running.Record.StudyName), $"trial-{running.Record.Number:D3}"));
            Directory.CreateDirectory(directory);
            var artifacts = new Dictionary<string, string>();
            if (options.SaveCheckpoints)
            {
                string checkpoint = Path.Combine(directory, "checkpoint");
                student.Save(checkpoint);
                // The windows it was trained and scored with, so `distillml evaluate` and the ML.NET loader use them.
                var f = featurizer.Options;
                new QaManifest(QaManifest.CurrentFormat, "inference", QaColumns.Default, f.MaxSequenceLength, f.DocStride, f.MaxQueryLength, f.LowerCase,
                    postProcessing.AllowNoAnswer, postProcessing.NullScoreDiffThreshold, postProcessing.MaxAnswerLength, options.InferenceBatchSize, null).Write(checkpoint);
                artifacts[ExperimentTrial.CheckpointArtifact] = checkpoint;
            }
            var onnx = student.ExportOnnx(Path.Combine(directory, "student.onnx"), new OnnxExportOptions
            {
                WeightFormat = options.OnnxWeightFormat, Featurizer = featurizer.Options, VocabularyPath = teacher.VocabularyPath,
                Description = $"DistillML sweep '{running.Record.StudyName}' trial {running.Record.Number}: {settings.Shape}",
            });
            artifacts[ExperimentTrial.OnnxArtifact] = onnx.Path;
            if (options.ExportInt8)
            {
                // The size a user would ship: the same student with the default int8 recipe (dynamic quantisation).
                var int8 = student.ExportOnnx(Path.Combine(directory, "student-int8.onnx"), new OnnxExportOptions
                {
                    WeightFormat = OnnxWeightFormat.Int8, Featurizer = featurizer.Options, VocabularyPath = teacher.VocabularyPath,
                    Description = $"DistillML sweep '{running.Record.StudyName}' trial {running.Record.Number}: {settings.Shape}, int8",
                });
                artifacts[ExperimentTrial.OnnxInt8Artifact] = int8.Path;
                metrics[StudentMetrics.Int8Megabytes] = new FileInfo(int8.Path).Length / 1e6;
            }
            return (metrics, artifacts);
        }
    }

    private void OnEvaluation(RunningTrial running, ExperimentTrial trial, QaEvaluation evaluation, CancellationToken cancellationToken)
    {
        double f1 = evaluation.Metrics.F1;
        if (!double.IsFinite(f1)) throw new TrainingDivergedException(evaluation.Step, f1);
        running.ReportAsync(evaluation.Step, f1, cancellationToken).GetAwaiter().GetResult();
        monitor.ReportIntermediate(trial, evaluation.Step, f1);
        if (pruner is null || evaluation.Step >= totalSteps) return;
        var (study, self) = running.PruningSnapshotAsync(cancellationToken).GetAwaiter().GetResult();
        if (pruner.ShouldPrune(study, self)) throw new TrialPrunedException(evaluation.Step, f1);
    }

    private static string Safe(string name) => string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}

/// <summary>Thrown from the evaluation callback when the pruner stops a trial.</summary>
internal sealed class TrialPrunedException(int step, double f1) : Exception($"Pruned at step {step} (dev F1 {f1:F2}).")
{
    public int Step { get; } = step;

    public double F1 { get; } = f1;
}

/// <summary>Hands a trial's training progress to the monitor as it is reported (synchronously, unlike <see cref="Progress{T}"/>).</summary>
internal sealed class MonitorProgress(IMonitor monitor, ExperimentTrial trial) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => monitor.ReportProgress(trial, value);
}
