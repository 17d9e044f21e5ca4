using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Trials;

namespace DistillML.Tuning.Tuners;

/// <summary>
/// Proposes a trial's parameter as a function of the study and the trial id alone, as Optuna's samplers do: it keeps no
/// record of the trials it has seen, so one instance serves every worker, process and resumed run of a study, and the
/// store's snapshot is the only shared state. The built-in tuners are samplers; their <see cref="ITuner"/> face
/// (AutoML's Propose/Update) keeps a <see cref="TrialHistory"/> and samples from its snapshot.
/// </summary>
public interface ISampler
{
    /// <summary>The parameter for trial <paramref name="trialId"/> of <paramref name="study"/>; the same arguments give the same parameter.</summary>
    Parameter Sample(StudySnapshot study, int trialId);
}
