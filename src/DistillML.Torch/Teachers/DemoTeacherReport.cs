using DistillML.Text.Squad;
using DistillML.Torch.Pretraining;
using DistillML.Torch.QuestionAnswering;

namespace DistillML.Torch.Teachers;

/// <summary>What a demo-teacher run produced and measured.</summary>
/// <param name="Options">The recipe used.</param>
/// <param name="Architecture">The architecture actually trained (the <c>InitFrom</c> checkpoint's when one was given, not the recipe's sizes).</param>
/// <param name="Parameters">Parameter count of the teacher.</param>
/// <param name="Mlm">The pretraining run, or null when skipped.</param>
/// <param name="FineTuning">The QA fine-tuning run (its <c>TrainingWindows</c> is the size of one epoch; <see cref="WindowsSeen"/> what the optimizer saw).</param>
/// <param name="Dev">Official SQuAD metrics on the whole evaluation set.</param>
/// <param name="DevQuestions">Questions in the evaluation set.</param>
/// <param name="WallTime">Wall time of the whole run.</param>
/// <param name="CheckpointDirectory">Where the teacher was saved (Hugging Face layout).</param>
public sealed record DemoTeacherReport(
    DemoTeacherOptions Options, Modeling.BertConfig Architecture, long Parameters, MaskedLmReport? Mlm, BertQaTrainingReport FineTuning, SquadMetrics Dev,
    int DevQuestions, TimeSpan WallTime, string CheckpointDirectory)
{
    /// <summary>Training windows the optimizer saw in QA fine-tuning (steps x batch).</summary>
    public long WindowsSeen => (long)FineTuning.Steps * Options.QaBatch;
}
