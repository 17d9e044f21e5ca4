using DistillML.Tuning.SearchSpace;

namespace DistillML.Tuning.Trials;

/// <summary>One trial's identity and proposed parameter, like ML.NET AutoML's <c>TrialSettings</c>.</summary>
public sealed class TrialSettings
{
    /// <summary>The trial id; unique within a sweep. Tuners derive their per-trial randomness from it.</summary>
    public int TrialId { get; init; }

    /// <summary>When the trial started.</summary>
    public DateTime StartedAtUtc { get; set; } = DateTime.UtcNow;

    /// <summary>When the trial ended, or null while it runs.</summary>
    public DateTime? EndedAtUtc { get; set; }

    /// <summary>The parameter under trial; set from <see cref="Tuners.ITuner.Propose"/>.</summary>
    public Parameter Parameter { get; set; } = Parameter.Empty;
}
