namespace DistillML.Tuning.Storage;

/// <summary>
/// What a proposal function sees while a worker claims a trial (inside the store's transaction): the new trial's
/// number and every trial of the study so far, finished and pending, including other workers' ones.
/// </summary>
public sealed class ProposalContext
{
    internal ProposalContext(StudyInfo study, int trialNumber, string workerId, IReadOnlyList<TrialRecord> trials)
    {
        Study = study;
        TrialNumber = trialNumber;
        WorkerId = workerId;
        Trials = trials;
        Finished = trials.Where(t => t.CountsAsResult).OrderBy(t => t.FinishSequence).ThenBy(t => t.Number).ToList();
        Pending = trials.Where(t => t.IsPending).ToList();
    }

    /// <summary>The study.</summary>
    public StudyInfo Study { get; }

    /// <summary>The number of the trial being proposed (the tuner's trial id).</summary>
    public int TrialNumber { get; }

    /// <summary>The claiming worker.</summary>
    public string WorkerId { get; }

    /// <summary>Every trial of the study, by number.</summary>
    public IReadOnlyList<TrialRecord> Trials { get; }

    /// <summary>Finished trials a tuner learns from, in the order they finished (trials replaced by a retry are left out).</summary>
    public IReadOnlyList<TrialRecord> Finished { get; }

    /// <summary>Pending and running trials (the tuner's pending proposals), by number.</summary>
    public IReadOnlyList<TrialRecord> Pending { get; }
}
