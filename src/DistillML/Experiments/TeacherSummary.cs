namespace DistillML.Experiments;

/// <summary>The teacher a sweep distils, as its report shows it.</summary>
/// <param name="Parameters">Its parameter count.</param>
/// <param name="F1">Its dev F1, when evaluated.</param>
/// <param name="ExactMatch">Its dev exact match, when evaluated.</param>
public sealed record TeacherSummary(long Parameters, double? F1, double? ExactMatch);
