using DistillML.Torch.Training;

namespace DistillML.Torch.Pretraining;

/// <summary>Settings of masked-language-model pretraining (BERT's recipe; defaults as in the paper and transformers).</summary>
public sealed record MaskedLmOptions
{
    /// <summary>Fraction of tokens (or of words, with <see cref="WholeWordMasking"/>) chosen for prediction. Default 0.15.</summary>
    public double MaskProbability { get; init; } = 0.15;
    /// <summary>Of the chosen tokens, the fraction replaced by [MASK]. Default 0.8.</summary>
    public double ReplaceWithMask { get; init; } = 0.8;
    /// <summary>Of the chosen tokens, the fraction replaced by a random token (the rest stay unchanged). Default 0.1.</summary>
    public double ReplaceWithRandom { get; init; } = 0.1;
    /// <summary>Choose whole words (a token and its "##" continuations) rather than single pieces. Default false.</summary>
    public bool WholeWordMasking { get; init; }
    /// <summary>Tokens per sequence including [CLS] and [SEP]; texts are cut into chunks of this length. Default 128.</summary>
    public int SequenceLength { get; init; } = 128;
    /// <summary>Sequences per micro-batch. Default 32.</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>Passes over the corpus; ignored when <see cref="MaxSteps"/> is set. Default 1.</summary>
    public int Epochs { get; init; } = 1;
    /// <summary>Optimizer steps to run; null runs <see cref="Epochs"/> passes.</summary>
    public int? MaxSteps { get; init; }
    /// <summary>Seed of the chunk shuffling and of the masking. Default 42.</summary>
    public int Seed { get; init; } = 42;
    /// <summary>Optimisation settings. Default: learning rate 1e-4 (pretraining's usual value), warmup 0.06.</summary>
    public TrainingLoopOptions Optimization { get; init; } = new() { LearningRate = 1e-4, WarmupFraction = 0.06 };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bad setting.</summary>
    public MaskedLmOptions Validate()
    {
        if (MaskProbability is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(MaskProbability), MaskProbability, "must be in (0, 1)");
        if (ReplaceWithMask < 0 || ReplaceWithRandom < 0 || ReplaceWithMask + ReplaceWithRandom > 1)
            throw new ArgumentOutOfRangeException(nameof(ReplaceWithMask), ReplaceWithMask, "ReplaceWithMask and ReplaceWithRandom must be >= 0 and sum to at most 1");
        if (SequenceLength < 8) throw new ArgumentOutOfRangeException(nameof(SequenceLength), SequenceLength, "must be >= 8");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "must be >= 1");
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "must be >= 1");
        if (MaxSteps is < 1) throw new ArgumentOutOfRangeException(nameof(MaxSteps), MaxSteps, "must be >= 1");
        Optimization.Validate();
        return this;
    }
}
