using System.Diagnostics;
using TorchSharp;
using DistillML.Torch.Modeling;
using static TorchSharp.torch;

namespace DistillML.Torch.Training;

/// <summary>One optimizer step's loss, for loss curves.</summary>
/// <param name="Step">Optimizer step (1-based).</param>
/// <param name="Loss">Mean micro-batch loss of that step.</param>
public readonly record struct LossPoint(int Step, double Loss);

/// <summary>
/// The optimisation loop every trainer shares: AdamW with no decay on biases and LayerNorms, linear warmup then
/// decay, gradient accumulation and clipping, a finite-loss check, progress and cancellation between steps.
/// Every micro-batch runs inside <c>torch.NewDisposeScope()</c>, so memory stays flat however long the run.
/// </summary>
public sealed class TrainingLoop
{
    private readonly nn.Module model;
    private readonly TrainingLoopOptions options;
    private readonly string phase;

    /// <summary>Creates a loop that trains <paramref name="model"/>'s parameters.</summary>
    public TrainingLoop(nn.Module model, TrainingLoopOptions options, string phase)
    {
        this.model = model;
        this.options = options.Validate();
        this.phase = phase;
    }

    /// <summary>
    /// Runs <paramref name="totalSteps"/> optimizer steps over <paramref name="microBatches"/> (which must yield at least
    /// <c>totalSteps * GradientAccumulationSteps</c> items; cycle epochs in the enumerable).
    /// <paramref name="loss"/> computes a micro-batch's scalar loss; <paramref name="batchSize"/> counts its examples.
    /// <paramref name="afterStep"/> runs after each optimizer step (evaluation, checkpointing) outside the step's scope.
    /// </summary>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (checked between steps).</exception>
    public IReadOnlyList<LossPoint> Run<TBatch>(
        IEnumerable<TBatch> microBatches, int totalSteps, Func<TBatch, Tensor> loss, Func<TBatch, int> batchSize,
        Action<int>? afterStep = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (totalSteps < 1) throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "must be >= 1");
        // Disposed at the end: TorchSharp frees AdamW's moment buffers (two per parameter) only on Dispose.
        using var optimizer = OptimizerFactory.CreateAdamW(model, options.LearningRate, options.WeightDecay);
        var schedule = new LinearWarmupSchedule(options.LearningRate, (int)Math.Round(options.WarmupFraction * totalSteps), totalSteps);
        var parameters = model.parameters().Where(p => p.requires_grad).ToList();
        var curve = new List<LossPoint>(totalSteps);
        var clock = Stopwatch.StartNew();
        long examples = 0;
        double reportSum = 0;
        int reportCount = 0;

        model.train();
        using var batches = microBatches.GetEnumerator();
        for (int step = 0; step < totalSteps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double lr = schedule.At(step);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;

            double stepLoss = 0;
            using (var scope = torch.NewDisposeScope())
            {
                optimizer.zero_grad();
                for (int micro = 0; micro < options.GradientAccumulationSteps; micro++)
                {
                    if (!batches.MoveNext())
                        throw new InvalidOperationException($"The batch source ran out at step {step + 1} of {totalSteps}; it must yield {totalSteps * options.GradientAccumulationSteps} micro-batches.");
                    var value = loss(batches.Current);
                    double scalar = value.item<float>();
                    if (!double.IsFinite(scalar)) throw new TrainingDivergedException(step + 1, scalar);
                    value.Over(options.GradientAccumulationSteps).backward();
                    stepLoss += scalar / options.GradientAccumulationSteps;
                    examples += batchSize(batches.Current);
                }
                if (options.MaxGradNorm > 0) nn.utils.clip_grad_norm_(parameters, options.MaxGradNorm);
                optimizer.step();
            }
            curve.Add(new LossPoint(step + 1, stepLoss));
            reportSum += stepLoss;
            reportCount++;

            if (progress is not null && ((step + 1) % options.ReportEvery == 0 || step + 1 == totalSteps))
            {
                double seconds = clock.Elapsed.TotalSeconds;
                double perStep = seconds / (step + 1);
                progress.Report(new TrainingProgress(phase, step + 1, totalSteps, reportSum / reportCount, lr,
                    examples / Math.Max(seconds, 1e-9), clock.Elapsed, TimeSpan.FromSeconds(perStep * (totalSteps - step - 1))));
                reportSum = 0;
                reportCount = 0;
            }
            afterStep?.Invoke(step + 1);
            model.train(); // afterStep may have evaluated
        }
        return curve;
    }
}
