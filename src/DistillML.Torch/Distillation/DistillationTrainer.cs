using System.Diagnostics;
using DistillML.Text.Decoding;
using DistillML.Text.Features;
using DistillML.Text.Squad;
using DistillML.Torch.Modeling;
using DistillML.Torch.QuestionAnswering;
using DistillML.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DistillML.Torch.Distillation;

/// <summary>
/// Distils a teacher <see cref="BertQaModel"/> into a student on SQuAD windows: the teacher's start/end logits are
/// computed once before training (in memory, or from <see cref="TeacherLogitsCache"/> when a cache directory is set),
/// the student minimises <see cref="DistillationLoss"/> with <see cref="TrainingLoop"/> (AdamW, warmup and decay,
/// clipping, every step in a dispose scope), is evaluated with the official metric every N steps, and keeps its best
/// weights. Teacher and student may be of different families and widths; they share the vocabulary and device.
/// </summary>
public sealed class DistillationTrainer(BertFeaturizer featurizer, DistillationOptions? options = null)
{
    private readonly DistillationOptions options = (options ?? new DistillationOptions()).Validate();

    /// <summary>Trains <paramref name="student"/> to imitate <paramref name="teacher"/> on <paramref name="train"/>, evaluating on <paramref name="validation"/> when given.</summary>
    /// <exception cref="ArgumentException">Vocabularies or devices differ, or the windows are longer than a model's positions.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException">Cancelled (between steps or teacher batches).</exception>
    public DistillationReport Train(BertQaModel teacher, BertQaModel student, IReadOnlyList<SquadExample> train, IReadOnlyList<SquadExample>? validation = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(train);
        var clock = Stopwatch.StartNew();
        var windows = featurizer.Featurize(train).ToList();
        if (windows.Count == 0) throw new ArgumentException("The training set produced no windows.", nameof(train));
        CheckCompatible(teacher, student, windows.Max(w => w.SequenceLength));
        int batchesPerEpoch = (windows.Count + options.BatchSize - 1) / options.BatchSize;
        int steps = options.MaxSteps ?? Math.Max(1, batchesPerEpoch * options.Epochs / options.Optimization.GradientAccumulationSteps);

        // With AlphaCe = AlphaCos = 0 (labels only) the teacher is not needed at all.
        bool needTeacher = options.AlphaCe != 0 || options.AlphaCos != 0;
        bool live = needTeacher && (options.LiveTeacher || options.AlphaCos != 0);
        TeacherLogits? cached = null;
        var teacherStarted = clock.Elapsed;
        var precision = PrecisionDefaults.Resolve(options.Precision, student.Device);
        using var teacherPrecision = teacher.UsePrecision(precision);
        using var studentPrecision = student.UsePrecision(precision);
        if (needTeacher && !live)
        {
            cached = options.TeacherCacheDirectory is { } dir
                ? TeacherLogitsCache.GetOrCreate(dir, teacher, windows, featurizer, options.EvaluationBatchSize, progress, cancellationToken)
                : TeacherLogitsCache.Compute(teacher, windows, featurizer, options.EvaluationBatchSize, progress, cancellationToken);
        }
        var teacherTime = clock.Elapsed - teacherStarted;

        try
        {
            bool version2 = train.Any(e => e.IsImpossible) || (validation?.Any(e => e.IsImpossible) ?? false);
            using var evaluator = new BestEvaluation(student, new BertQaPredictor(student, featurizer,
                options.PostProcessing ?? new PostProcessingOptions { AllowNoAnswer = version2 }, options.EvaluationBatchSize), options.RestoreBest);
            var evaluationTime = TimeSpan.Zero;
            void Evaluate(int step)
            {
                if (validation is null || validation.Count == 0) return;
                if (step != steps && (options.EvaluateEverySteps == 0 || step % options.EvaluateEverySteps != 0)) return;
                var started = clock.Elapsed;
                evaluator.Run(step, validation, cancellationToken);
                progress?.Report(new TrainingProgress("evaluate", step, steps, double.NaN, 0, 0, clock.Elapsed, TimeSpan.Zero, evaluator.Evaluations[^1].Metrics));
                evaluationTime += clock.Elapsed - started;
                options.OnEvaluation?.Invoke(evaluator.Evaluations[^1]);
            }

            using var generator = new Generator((ulong)options.Seed); // this run's dropout, apart from other fits in the process
            using var ownRandomness = student.UseGenerator(generator);
            var random = new Random(options.Seed);
            var loss = new DistillationLoss(options.Temperature, options.AlphaCe, options.AlphaSquad, options.AlphaCos);
            bool teacherWasTraining = teacher.training;
            teacher.eval();
            // Scoped to this flow: the teacher may be serving other fits in the process at the same time.
            using var studentHidden = student.UseHiddenStates(options.AlphaCos != 0);
            using var teacherHidden = teacher.UseHiddenStates(options.AlphaCos != 0);
            IReadOnlyList<LossPoint> curve;
            try
            {
                curve = new TrainingLoop(student, options.Optimization, "distill").Run(
                    ShuffledBatches.For(windows.Select(w => w.SequenceLength).ToArray(), options.BatchSize, random, options.GroupByLength),
                    steps,
                    rows => StepLoss(loss, needTeacher ? teacher : null, student, rows.Select(i => windows[i]).ToList(), rows, cached),
                    rows => rows.Count, Evaluate, progress, cancellationToken);
            }
            finally
            {
                if (teacherWasTraining) teacher.train();
            }
            evaluator.RestoreBestIfNeeded(steps);
            student.eval();
            var trainingSeconds = (clock.Elapsed - teacherStarted - teacherTime - evaluationTime).TotalSeconds;
            return new DistillationReport(steps, windows.Count, curve, evaluator.Evaluations, evaluator.Best, clock.Elapsed,
                (double)steps * options.Optimization.GradientAccumulationSteps * options.BatchSize / Math.Max(trainingSeconds, 1e-9),
                teacherTime, cached?.LoadedFromCache ?? false, cached?.Path);
        }
        finally
        {
            cached?.Dispose();
        }
    }

    private static Tensor StepLoss(DistillationLoss loss, BertQaModel? teacher, BertQaModel student, List<QaFeature> features, IReadOnlyList<int> rows, TeacherLogits? cached)
    {
        // Every tensor made here belongs to the training loop's per-step dispose scope.
        var batch = new QaBatch(features, student.Device, withTokenTypes: true);
        var output = student.call(batch.InputIds, batch.AttentionMask, student.Config.HasTokenTypes ? batch.TokenTypeIds : null);
        Tensor teacherStart, teacherEnd;
        Tensor? teacherHidden = null;
        if (teacher is null)
        {
            teacherStart = zeros_like(output.StartLogits); // weighted by AlphaCe = 0
            teacherEnd = zeros_like(output.EndLogits);
        }
        else if (cached is null)
        {
            using var noGrad = no_grad();
            var t = teacher.call(batch.InputIds, batch.AttentionMask, teacher.Config.HasTokenTypes ? batch.TokenTypeIds : null);
            teacherStart = t.StartLogits.detach();
            teacherEnd = t.EndLogits.detach();
            teacherHidden = t.HiddenStates?[^1].detach();
        }
        else
        {
            int columns = batch.Columns;
            var start = new float[rows.Count * columns];
            var end = new float[start.Length];
            for (int r = 0; r < rows.Count; r++)
                cached.CopyTo(rows[r], start.AsSpan(r * columns, columns), end.AsSpan(r * columns, columns));
            teacherStart = tensor(start, [rows.Count, columns], device: student.Device);
            teacherEnd = tensor(end, [rows.Count, columns], device: student.Device);
        }
        return loss.Compute(output.StartLogits, output.EndLogits, teacherStart, teacherEnd, batch.AttentionMask,
            batch.StartPositions, batch.EndPositions, output.HiddenStates?[^1], teacherHidden).Total;
    }

    private static void CheckCompatible(BertQaModel teacher, BertQaModel student, int longestWindow)
    {
        if (teacher.Config.VocabSize != student.Config.VocabSize)
            throw new ArgumentException($"Teacher and student must share the vocabulary: vocab_size {teacher.Config.VocabSize} vs {student.Config.VocabSize}.", nameof(student));
        if (teacher.Device.type != student.Device.type || teacher.Device.index != student.Device.index)
            throw new ArgumentException($"Teacher and student must be on the same device: {teacher.Device} vs {student.Device}.", nameof(student));
        foreach (var (who, model) in new[] { ("teacher", teacher), ("student", student) })
            if (model.Config.MaxPositionEmbeddings < longestWindow)
                throw new ArgumentException($"The {who}'s max_position_embeddings ({model.Config.MaxPositionEmbeddings}) is shorter than the longest window ({longestWindow} tokens); lower the featurizer's MaxSequenceLength.", who);
    }
}
