using DistillML.Tuning.Objectives;

namespace DistillML.Tuning.Tuners;

/// <summary>
/// A tuner that can be created first and told its problem later, as an experiment's <c>SetTuner(new ...())</c>
/// followed by <c>SetSearchSpace(...)</c> needs.
/// </summary>
public interface IConfigurableTuner : ITuner
{
    /// <summary>Whether <see cref="Configure"/> has been called (or the problem was given to the constructor).</summary>
    bool IsConfigured { get; }

    /// <summary>Sets the problem. Allowed once, before the first proposal.</summary>
    void Configure(TuningProblem problem);
}
