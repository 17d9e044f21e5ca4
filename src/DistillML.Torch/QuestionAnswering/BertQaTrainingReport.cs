using DistillML.Text.Squad;
using DistillML.Torch.Training;

namespace DistillML.Torch.QuestionAnswering;

/// <summary>One evaluation during training.</summary>
/// <param name="Step">Optimizer step after which it ran.</param>
/// <param name="Metrics">The official SQuAD metrics on the validation set.</param>
public sealed record QaEvaluation(int Step, SquadMetrics Metrics);

/// <summary>What a fine-tuning run did.</summary>
/// <param name="Steps">Optimizer steps run.</param>
/// <param name="TrainingWindows">Training windows (features) per epoch.</param>
/// <param name="LossCurve">Loss per step.</param>
/// <param name="Evaluations">Every evaluation, in order.</param>
/// <param name="Best">The evaluation with the best F1 (whose weights the model holds when <see cref="QaTrainingOptions.RestoreBest"/>).</param>
/// <param name="WallTime">Wall time, evaluations included.</param>
/// <param name="WindowsPerSecond">Training windows per second of training time (evaluations excluded).</param>
public sealed record BertQaTrainingReport(
    int Steps, int TrainingWindows, IReadOnlyList<LossPoint> LossCurve, IReadOnlyList<QaEvaluation> Evaluations,
    QaEvaluation? Best, TimeSpan WallTime, double WindowsPerSecond);
