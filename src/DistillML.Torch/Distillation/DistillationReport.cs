using DistillML.Torch.QuestionAnswering;
using DistillML.Torch.Training;

namespace DistillML.Torch.Distillation;

/// <summary>What a distillation run did.</summary>
/// <param name="Steps">Optimizer steps run.</param>
/// <param name="TrainingWindows">Training windows per epoch.</param>
/// <param name="LossCurve">Total loss per step.</param>
/// <param name="Evaluations">Every evaluation, in order.</param>
/// <param name="Best">The evaluation with the best F1 (whose weights the student holds when <see cref="QaTrainingOptions.RestoreBest"/>).</param>
/// <param name="WallTime">Wall time, teacher logits and evaluations included.</param>
/// <param name="WindowsPerSecond">Training windows per second of training time (teacher precomputation and evaluations excluded).</param>
/// <param name="TeacherLogitsTime">Time spent getting the teacher's logits before training (computing or opening the cache).</param>
/// <param name="TeacherCacheHit">True when an existing cache file supplied the teacher's logits.</param>
/// <param name="TeacherCachePath">The cache file used, if any.</param>
public sealed record DistillationReport(
    int Steps, int TrainingWindows, IReadOnlyList<LossPoint> LossCurve, IReadOnlyList<QaEvaluation> Evaluations, QaEvaluation? Best,
    TimeSpan WallTime, double WindowsPerSecond, TimeSpan TeacherLogitsTime, bool TeacherCacheHit, string? TeacherCachePath);
