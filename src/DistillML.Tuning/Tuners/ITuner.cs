using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Trials;

namespace DistillML.Tuning.Tuners;

/// <summary>
/// Proposes parameters and learns from results, like ML.NET AutoML's <c>ITuner</c>. A proposal whose result
/// has not arrived yet is pending; tuners take pending trials into account so parallel workers do not collide.
/// </summary>
public interface ITuner
{
    /// <summary>Proposes the parameter of trial <paramref name="settings"/> (also stored in <see cref="TrialSettings.Parameter"/>).</summary>
    Parameter Propose(TrialSettings settings);

    /// <summary>Records how a trial ended; a trial with the same id replaces an earlier record.</summary>
    void Update(TrialResult result);
}
