namespace DistillML.Torch.Training;

/// <summary>Optimisation settings shared by fine-tuning, MLM pretraining and distillation.</summary>
public sealed record TrainingLoopOptions
{
    /// <summary>Peak learning rate of AdamW. Default 3e-5 (<see cref="TrainingDefaults.FineTuningLearningRate"/>, run_qa.py's for BERT).</summary>
    public double LearningRate { get; init; } = TrainingDefaults.FineTuningLearningRate;
    /// <summary>Decoupled weight decay on weights (not biases or LayerNorms). Default 0.01.</summary>
    public double WeightDecay { get; init; } = TrainingDefaults.WeightDecay;
    /// <summary>Fraction of the optimizer steps spent warming the learning rate up from 0. Default 0.1.</summary>
    public double WarmupFraction { get; init; } = TrainingDefaults.WarmupFraction;
    /// <summary>Gradients are clipped to this global L2 norm; 0 disables clipping. Default 1.0.</summary>
    public double MaxGradNorm { get; init; } = TrainingDefaults.MaxGradNorm;
    /// <summary>Micro-batches whose gradients are summed before each optimizer step. Default 1.</summary>
    public int GradientAccumulationSteps { get; init; } = 1;
    /// <summary>Report progress every this many optimizer steps. Default 10.</summary>
    public int ReportEvery { get; init; } = 10;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bad setting.</summary>
    public TrainingLoopOptions Validate()
    {
        if (!(LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "must be positive");
        if (!(WeightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "must be >= 0");
        if (WarmupFraction is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(WarmupFraction), WarmupFraction, "must be in [0, 1]");
        if (!(MaxGradNorm >= 0)) throw new ArgumentOutOfRangeException(nameof(MaxGradNorm), MaxGradNorm, "must be >= 0");
        if (GradientAccumulationSteps < 1) throw new ArgumentOutOfRangeException(nameof(GradientAccumulationSteps), GradientAccumulationSteps, "must be >= 1");
        if (ReportEvery < 1) throw new ArgumentOutOfRangeException(nameof(ReportEvery), ReportEvery, "must be >= 1");
        return this;
    }
}
