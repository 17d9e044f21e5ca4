using DistillML.Text.Decoding;
using DistillML.Torch.Training;

namespace DistillML.Torch.Distillation;

/// <summary>Settings of <see cref="DistillationTrainer"/>. Defaults follow DistilBERT's SQuAD distillation (T = 2, α_ce = α_squad = 0.5).</summary>
public sealed record DistillationOptions
{
    /// <summary>Softmax temperature T of the soft targets. Default 2.</summary>
    public double Temperature { get; init; } = 2;
    /// <summary>Weight of the soft-target KL term (0 trains on labels only). Default 0.5.</summary>
    public double AlphaCe { get; init; } = 0.5;
    /// <summary>Weight of the label cross-entropy. Default 0.5.</summary>
    public double AlphaSquad { get; init; } = 0.5;
    /// <summary>Weight of the last-hidden-state cosine term; needs equal widths and a live teacher (hidden states are not cached). Default 0.</summary>
    public double AlphaCos { get; init; }
    /// <summary>Passes over the training windows; ignored when <see cref="MaxSteps"/> is set. Default 2.</summary>
    public int Epochs { get; init; } = 2;
    /// <summary>Optimizer steps to run; null runs <see cref="Epochs"/> passes.</summary>
    public int? MaxSteps { get; init; }
    /// <summary>Windows per micro-batch. Default 16.</summary>
    public int BatchSize { get; init; } = 16;
    /// <summary>Windows per batch for the teacher's logits and evaluation. Default 64.</summary>
    public int EvaluationBatchSize { get; init; } = 64;
    /// <summary>Seed of the shuffling and of dropout (torch's generator). Default 42.</summary>
    public int Seed { get; init; } = 42;
    /// <summary>Evaluate on the validation set every this many steps; 0 evaluates only at the end. Default 0.</summary>
    public int EvaluateEverySteps { get; init; }
    /// <summary>Restore the weights of the best evaluation (by F1) at the end. Default true.</summary>
    public bool RestoreBest { get; init; } = true;
    /// <summary>Span decoding for evaluation; default as <see cref="QuestionAnswering.BertQaTrainerOptions.PostProcessing"/>.</summary>
    public PostProcessingOptions? PostProcessing { get; init; }
    /// <summary>
    /// Where teacher logits are cached across runs and processes (<see cref="TeacherLogitsCache"/>); null computes them
    /// once per run, in memory.
    /// </summary>
    public string? TeacherCacheDirectory { get; init; }
    /// <summary>Run the teacher at every step instead of precomputing its logits (forced when <see cref="AlphaCos"/> is not 0). Default false.</summary>
    public bool LiveTeacher { get; init; }
    /// <summary>
    /// Called after every evaluation with its step and metrics (for example to report to a pruner). An exception it
    /// throws stops training and propagates out of <see cref="DistillationTrainer.Train"/>.
    /// </summary>
    public Action<QuestionAnswering.QaEvaluation>? OnEvaluation { get; init; }
    /// <summary>Optimisation settings. Default: learning rate 5e-5, warmup 0.1, weight decay 0.01, clip 1.0.</summary>
    public TrainingLoopOptions Optimization { get; init; } = new();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bad setting.</summary>
    public DistillationOptions Validate()
    {
        if (!(Temperature > 0)) throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "must be positive");
        if (!(AlphaCe >= 0)) throw new ArgumentOutOfRangeException(nameof(AlphaCe), AlphaCe, "must be >= 0");
        if (!(AlphaSquad >= 0)) throw new ArgumentOutOfRangeException(nameof(AlphaSquad), AlphaSquad, "must be >= 0");
        if (!(AlphaCos >= 0)) throw new ArgumentOutOfRangeException(nameof(AlphaCos), AlphaCos, "must be >= 0");
        if (AlphaCe + AlphaSquad + AlphaCos == 0) throw new ArgumentOutOfRangeException(nameof(AlphaCe), 0, "at least one of AlphaCe, AlphaSquad, AlphaCos must be positive");
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "must be >= 1");
        if (MaxSteps is < 1) throw new ArgumentOutOfRangeException(nameof(MaxSteps), MaxSteps, "must be >= 1");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "must be >= 1");
        if (EvaluationBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(EvaluationBatchSize), EvaluationBatchSize, "must be >= 1");
        if (EvaluateEverySteps < 0) throw new ArgumentOutOfRangeException(nameof(EvaluateEverySteps), EvaluateEverySteps, "must be >= 0");
        Optimization.Validate();
        return this;
    }
}
