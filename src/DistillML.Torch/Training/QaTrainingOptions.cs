using DistillML.Text.Decoding;
using DistillML.Torch.Modeling;

namespace DistillML.Torch.Training;

/// <summary>
/// The schedule every QA trainer shares (fine-tuning and distillation): passes or steps, batch sizes, seed, evaluation
/// cadence, best-weights restore, span decoding and the optimizer. The trainers' options derive from it, as ML.NET's
/// trainer options derive from a common input base.
/// </summary>
public abstract record QaTrainingOptions
{
    /// <summary>Passes over the training windows; ignored when <see cref="MaxSteps"/> is set. Default 2.</summary>
    public int Epochs { get; init; } = TrainingDefaults.Epochs;
    /// <summary>Optimizer steps to run; null runs <see cref="Epochs"/> passes.</summary>
    public int? MaxSteps { get; init; }
    /// <summary>Windows per micro-batch. Default 16.</summary>
    public int BatchSize { get; init; } = TrainingDefaults.BatchSize;
    /// <summary>Windows per batch when evaluating (and for a teacher's logits). Default 64.</summary>
    public int EvaluationBatchSize { get; init; } = 64;
    /// <summary>Seed of the shuffling and of dropout (torch's generator). Default 42.</summary>
    public int Seed { get; init; } = TrainingDefaults.Seed;
    /// <summary>Evaluate on the validation set every this many steps; 0 evaluates only at the end. Default 0.</summary>
    public int EvaluateEverySteps { get; init; }
    /// <summary>Restore the weights of the best evaluation (by F1) at the end. Default true.</summary>
    public bool RestoreBest { get; init; } = true;
    /// <summary>Span decoding for evaluation. Default: n-best 20, max answer 30 tokens; "no answer" allowed only for SQuAD 2.0 data.</summary>
    public PostProcessingOptions? PostProcessing { get; init; }
    /// <summary>
    /// Group training windows of similar length into batches (transformers' <c>group_by_length</c>; see
    /// <see cref="ShuffledBatches.LengthGrouped"/>), which cuts the padding each batch carries. Default true.
    /// </summary>
    public bool GroupByLength { get; init; } = true;
    /// <summary>
    /// The arithmetic of training and of its evaluations (and, for distillation, of the teacher's logits); the model's
    /// own <see cref="BertQaModel.Precision"/> is restored afterwards. Default null: <see cref="PrecisionDefaults.Resolve"/>
    /// picks <see cref="Modeling.Precision.BFloat16Mixed"/> on CPUs with bfloat16 units that measure faster than float32
    /// (<see cref="BFloat16Probe"/>; a 300-step fine-tuning ended within noise of float32 and trained about 3x faster on
    /// AMD EPYC: benchmarks/TorchBench/RESULTS.md), else float32.
    /// </summary>
    public Precision? Precision { get; init; }
    /// <summary>Optimisation settings (AdamW, warmup then linear decay, clipping, accumulation); each trainer documents its default learning rate.</summary>
    public TrainingLoopOptions Optimization { get; init; } = new();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bad schedule setting.</summary>
    protected void ValidateSchedule()
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "must be >= 1");
        if (MaxSteps is < 1) throw new ArgumentOutOfRangeException(nameof(MaxSteps), MaxSteps, "must be >= 1");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "must be >= 1");
        if (EvaluationBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(EvaluationBatchSize), EvaluationBatchSize, "must be >= 1");
        if (EvaluateEverySteps < 0) throw new ArgumentOutOfRangeException(nameof(EvaluateEverySteps), EvaluateEverySteps, "must be >= 0");
        Optimization.Validate();
    }
}
