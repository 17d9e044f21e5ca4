using System.Diagnostics;
using DistillML.Text.Decoding;
using DistillML.Text.Features;
using DistillML.Text.Squad;
using DistillML.Torch.Modeling;
using DistillML.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DistillML.Torch.QuestionAnswering;

/// <summary>
/// Fine-tunes a <see cref="BertQaModel"/> on SQuAD: windows from <see cref="BertFeaturizer"/>, span cross-entropy,
/// AdamW with warmup and decay (<see cref="TrainingLoop"/>), evaluation with the official metric every N steps, and
/// the best weights kept. A CPU run with the same seed repeats exactly, provided nothing else draws from torch's
/// process-wide generator meanwhile (dropout uses it), i.e. one training per process at a time.
/// </summary>
public sealed class BertQaTrainer(BertFeaturizer featurizer, BertQaTrainerOptions? options = null)
{
    private readonly BertQaTrainerOptions options = (options ?? new BertQaTrainerOptions()).Validate();

    /// <summary>Trains <paramref name="model"/> on <paramref name="train"/>, evaluating on <paramref name="validation"/> when given.</summary>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException">Cancelled between steps.</exception>
    public BertQaTrainingReport Train(BertQaModel model, IReadOnlyList<SquadExample> train, IReadOnlyList<SquadExample>? validation = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var windows = featurizer.Featurize(train).ToList();
        if (windows.Count == 0) throw new ArgumentException("The training set produced no windows.", nameof(train));
        int batchesPerEpoch = (windows.Count + options.BatchSize - 1) / options.BatchSize;
        int steps = options.MaxSteps ?? Math.Max(1, batchesPerEpoch * options.Epochs / options.Optimization.GradientAccumulationSteps);

        bool version2 = train.Any(e => e.IsImpossible) || (validation?.Any(e => e.IsImpossible) ?? false);
        using var evaluator = new BestEvaluation(model, new BertQaPredictor(model, featurizer,
            options.PostProcessing ?? new PostProcessingOptions { AllowNoAnswer = version2 }, options.EvaluationBatchSize), options.RestoreBest);
        var evaluationTime = TimeSpan.Zero;

        void Evaluate(int step)
        {
            if (validation is null || validation.Count == 0) return;
            if (step != steps && (options.EvaluateEverySteps == 0 || step % options.EvaluateEverySteps != 0)) return;
            var started = clock.Elapsed;
            evaluator.Run(step, validation, cancellationToken);
            progress?.Report(new TrainingProgress("evaluate", step, steps, double.NaN, 0, 0, clock.Elapsed, TimeSpan.Zero, evaluator.Evaluations[^1].Metrics));
            if (evaluator.Best?.Step == step && options.BestCheckpointDirectory is { } dir) model.Save(dir);
            evaluationTime += clock.Elapsed - started;
        }

        using var generator = new Generator((ulong)options.Seed); // this run's dropout, apart from other fits in the process
        using var ownRandomness = model.UseGenerator(generator);
        var random = new Random(options.Seed);
        var device = model.Device;
        bool tokenTypes = model.Config.HasTokenTypes;
        var lengths = windows.Select(w => w.SequenceLength).ToArray();
        IReadOnlyList<LossPoint> curve;
        using (model.UsePrecision(PrecisionDefaults.Resolve(options.Precision, model.Device)))
        {
            curve = new TrainingLoop(model, options.Optimization, "fine-tune").Run(
                ShuffledBatches.For(lengths, options.BatchSize, random, options.GroupByLength).Select(rows => (IReadOnlyList<QaFeature>)rows.Select(i => windows[i]).ToList()),
                steps,
                rows =>
                {
                    var batch = new QaBatch(rows, device, tokenTypes); // its tensors belong to the step's dispose scope
                    var output = model.call(batch.InputIds, batch.AttentionMask, batch.TokenTypeIds);
                    return SpanLoss.Compute(output.StartLogits, output.EndLogits, batch.StartPositions, batch.EndPositions);
                },
                rows => rows.Count, Evaluate, progress, cancellationToken);
        }

        evaluator.RestoreBestIfNeeded(steps);
        model.eval();

        var trainingSeconds = (clock.Elapsed - evaluationTime).TotalSeconds;
        return new BertQaTrainingReport(steps, windows.Count, curve, evaluator.Evaluations, evaluator.Best, clock.Elapsed,
            (double)steps * options.Optimization.GradientAccumulationSteps * options.BatchSize / Math.Max(trainingSeconds, 1e-9));
    }
}
