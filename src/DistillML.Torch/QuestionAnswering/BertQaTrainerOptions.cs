using DistillML.Torch.Training;

namespace DistillML.Torch.QuestionAnswering;

/// <summary>
/// Settings of QA fine-tuning (defaults follow transformers' run_qa.py for BERT on SQuAD: 2 epochs, learning rate
/// 3e-5, warmup 0.1, weight decay 0.01, clip 1.0: <see cref="TrainingDefaults"/>); the schedule is <see cref="QaTrainingOptions"/>'s.
/// </summary>
public sealed record BertQaTrainerOptions : QaTrainingOptions
{
    /// <summary>When set, the best model is also saved here (Hugging Face layout) each time it improves.</summary>
    public string? BestCheckpointDirectory { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bad setting.</summary>
    public BertQaTrainerOptions Validate()
    {
        ValidateSchedule();
        return this;
    }
}
