using DistillML.Torch.Training;

namespace DistillML.Torch.Distillation;

/// <summary>
/// Settings of <see cref="DistillationTrainer"/>. Defaults are <see cref="TrainingDefaults"/>'s (DistilBERT's SQuAD
/// distillation: T = 2, α_ce = α_squad = 0.5, learning rate 1e-4, warmup 0.1, weight decay 0.01, clip 1.0); the schedule
/// is <see cref="QaTrainingOptions"/>'s.
/// </summary>
public sealed record DistillationOptions : QaTrainingOptions
{
    /// <summary>Distillation settings with <see cref="TrainingDefaults.DistillationLearningRate"/> as the optimizer's default peak rate.</summary>
    public DistillationOptions() => Optimization = new TrainingLoopOptions { LearningRate = TrainingDefaults.DistillationLearningRate };

    /// <summary>Softmax temperature T of the soft targets. Default 2.</summary>
    public double Temperature { get; init; } = TrainingDefaults.Temperature;
    /// <summary>Weight of the soft-target KL term (0 trains on labels only). Default 0.5.</summary>
    public double AlphaCe { get; init; } = TrainingDefaults.AlphaCe;
    /// <summary>Weight of the label cross-entropy. Default 0.5.</summary>
    public double AlphaSquad { get; init; } = TrainingDefaults.AlphaSquad;
    /// <summary>Weight of the last-hidden-state cosine term; needs equal widths and a live teacher (hidden states are not cached). Default 0.</summary>
    public double AlphaCos { get; init; }
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
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bad setting.</summary>
    public DistillationOptions Validate()
    {
        if (!(Temperature > 0)) throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "must be positive");
        if (!(AlphaCe >= 0)) throw new ArgumentOutOfRangeException(nameof(AlphaCe), AlphaCe, "must be >= 0");
        if (!(AlphaSquad >= 0)) throw new ArgumentOutOfRangeException(nameof(AlphaSquad), AlphaSquad, "must be >= 0");
        if (!(AlphaCos >= 0)) throw new ArgumentOutOfRangeException(nameof(AlphaCos), AlphaCos, "must be >= 0");
        if (AlphaCe + AlphaSquad + AlphaCos == 0) throw new ArgumentOutOfRangeException(nameof(AlphaCe), 0, "at least one of AlphaCe, AlphaSquad, AlphaCos must be positive");
        ValidateSchedule();
        return this;
    }
}
