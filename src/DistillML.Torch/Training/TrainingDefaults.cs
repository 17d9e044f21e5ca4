namespace DistillML.Torch.Training;

/// <summary>
/// The one home of the training schedule's defaults, read by every options type that restates part of it
/// (<see cref="QaTrainingOptions"/>, <see cref="TrainingLoopOptions"/>, <see cref="Distillation.DistillationOptions"/>,
/// <c>DistillBertOptions</c>, <c>DistillationExperimentOptions</c>, the sweep's baseline point in
/// <c>StudentSearchSpaces</c> and the CLI's <c>distill</c>), so that a value is decided once. Distillation follows
/// DistilBERT's SQuAD recipe (T = 2, α_ce = α_squad = 0.5, warmup 0.1, weight decay 0.01, clipping at 1) with the
/// learning rate measured on the MiniLM teacher's students.
/// </summary>
public static class TrainingDefaults
{
    /// <summary>Softmax temperature of the soft targets: 2.</summary>
    public const double Temperature = 2;

    /// <summary>Weight of the soft-target KL term: 0.5.</summary>
    public const double AlphaCe = 0.5;

    /// <summary>
    /// Weight of the label cross-entropy: 0.5, that is 1 - <see cref="AlphaCe"/>. The library and the CLI let both
    /// weights vary; the sweep searches α_ce and sets α_squad = 1 - α_ce (one dimension instead of two, the same loss
    /// scale for every trial), which these defaults satisfy.
    /// </summary>
    public const double AlphaSquad = 1 - AlphaCe;

    /// <summary>
    /// Peak AdamW learning rate of QA fine-tuning (<see cref="TrainingLoopOptions"/>, <see cref="QuestionAnswering.BertQaTrainerOptions"/>):
    /// 3e-5, transformers' run_qa.py for BERT on SQuAD. Pretrained MiniLM-sized teachers take 1e-4 (<see cref="Teachers.PretrainedTeacherOptions"/>).
    /// </summary>
    public const double FineTuningLearningRate = 3e-5;

    /// <summary>
    /// Peak AdamW learning rate of distillation: 1e-4, the rate the MiniLM teacher was fine-tuned at and the sweep's baseline trial used
    /// (its DistilBERT-recipe student, L3 H384 from every other teacher layer, kept 75.9% of the teacher's F1 after 450
    /// steps of 16 windows). Students of small teachers trained from nothing (hidden ≤ 256) take about 1e-3.
    /// </summary>
    public const double DistillationLearningRate = 1e-4;

    /// <summary>
    /// The distillation learning rate for a teacher <paramref name="teacherHidden"/> wide: <see cref="DistillationLearningRate"/>,
    /// or 1e-3 for small teachers (hidden ≤ 256, such as the demo teacher trained from nothing), whose students start from little.
    /// </summary>
    public static double DistillationLearningRateFor(int teacherHidden) => teacherHidden <= 256 ? 1e-3 : DistillationLearningRate;

    /// <summary>Fraction of the steps spent warming the learning rate up: 0.1.</summary>
    public const double WarmupFraction = 0.1;

    /// <summary>Decoupled weight decay (not on biases and LayerNorms): 0.01.</summary>
    public const double WeightDecay = 0.01;

    /// <summary>Gradient clipping: the global L2 norm is cut to 1.</summary>
    public const double MaxGradNorm = 1.0;

    /// <summary>Passes over the training windows of one fine-tuning or distillation: 2.</summary>
    public const int Epochs = 2;

    /// <summary>
    /// Passes per trial of a sweep when no step budget is given: 1. A sweep trains many students, so each gets half a
    /// single distillation's budget; this is a budget, not a different schedule.
    /// </summary>
    public const int SweepTrialEpochs = 1;

    /// <summary>Training windows per optimizer step: 16.</summary>
    public const int BatchSize = 16;

    /// <summary>Seed of the student's initialisation, the shuffling and dropout: 42.</summary>
    public const int Seed = 42;
}
