using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Trials;

namespace DistillML.Tuning.Tuners;

/// <summary>
/// AutoML's Propose/Update face of a <see cref="ISampler"/>: the tuner keeps a <see cref="TrialHistory"/> of what it was
/// told and proposed, and each proposal samples from that history's snapshot (then marks the point pending).
/// </summary>
public abstract class SamplingTuner : IPendingAwareTuner, ISampler
{
    /// <summary>The trials this tuner was told of and proposed.</summary>
    public TrialHistory History { get; } = new();

    /// <inheritdoc />
    public Parameter Propose(TrialSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var p = Sample(History.Snapshot(), settings.TrialId);
        settings.Parameter = p;
        History.AddPending(settings.TrialId, p);
        return p;
    }

    /// <inheritdoc />
    public void Update(TrialResult result) => History.Record(result);

    /// <inheritdoc />
    public abstract Parameter Sample(StudySnapshot study, int trialId);
}
