using DistillML.Torch.Distillation;
using DistillML.Torch.Training;

namespace DistillML;

/// <summary>One evaluation on the validation data during distillation.</summary>
/// <param name="Step">Optimizer step after which it ran.</param>
/// <param name="Exact">Exact match, percent.</param>
/// <param name="F1">F1, percent.</param>
public sealed record DevEvaluation(int Step, double Exact, double F1);

/// <summary>What <c>DistillBert(...).Fit</c> did (also saved in the student's manifest).</summary>
/// <param name="Steps">Optimizer steps.</param>
/// <param name="TrainingWindows">Training windows per epoch.</param>
/// <param name="LossCurve">Distillation loss per step.</param>
/// <param name="Evaluations">Validation evaluations, in order (empty without validation data).</param>
/// <param name="BestDevF1">Best validation F1 (the kept student's), or null without validation data.</param>
/// <param name="WallTime">Wall time of the fit.</param>
/// <param name="WindowsPerSecond">Training throughput.</param>
/// <param name="TeacherLogitsTime">Time to get the teacher's logits (computed, or read from the cache).</param>
/// <param name="TeacherCacheHit">True when a cache file supplied the teacher's logits.</param>
/// <param name="TeacherParameters">Teacher parameter count.</param>
/// <param name="StudentParameters">Student parameter count.</param>
public sealed record DistillationTrainingReport(
    int Steps, int TrainingWindows, IReadOnlyList<LossPoint> LossCurve, IReadOnlyList<DevEvaluation> Evaluations, double? BestDevF1,
    TimeSpan WallTime, double WindowsPerSecond, TimeSpan TeacherLogitsTime, bool TeacherCacheHit, long TeacherParameters, long StudentParameters)
{
    internal static DistillationTrainingReport From(DistillationReport r, long teacherParameters, long studentParameters) => new(
        r.Steps, r.TrainingWindows, r.LossCurve, r.Evaluations.Select(e => new DevEvaluation(e.Step, e.Metrics.Exact, e.Metrics.F1)).ToList(),
        r.Best?.Metrics.F1, r.WallTime, r.WindowsPerSecond, r.TeacherLogitsTime, r.TeacherCacheHit, teacherParameters, studentParameters);
}
