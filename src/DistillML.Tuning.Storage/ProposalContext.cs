using DistillML.Tuning.Trials;

namespace DistillML.Tuning.Storage;

/// <summary>
/// What a proposal function sees while a worker claims a trial: the new trial's number and a snapshot of the study
/// taken when that number was reserved, every trial so far (finished and pending, other workers' ones included) and
/// the numbers still being proposed (this one among them). The proposal runs outside the store's transactions.
/// </summary>
public sealed class ProposalContext
{
    internal ProposalContext(StudyInfo study, int trialNumber, string workerId, IReadOnlyList<TrialRecord> trials, IReadOnlyList<int> reserved)
    {
        Reserved = reserved;
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

    /// <summary>
    /// Numbers reserved by claims whose parameter is still being proposed (this claim's <see cref="TrialNumber"/> and
    /// other workers' concurrent ones), by number. They have no parameter yet, so they are not in <see cref="Trials"/>.
    /// </summary>
    public IReadOnlyList<int> Reserved { get; }

    /// <summary>Pending and running trials (the tuner's pending proposals), by number.</summary>
    public IReadOnlyList<TrialRecord> Pending { get; }

    /// <summary>The study as a sampler sees it: <see cref="Finished"/> as results in finish order, <see cref="Pending"/> by number.</summary>
    public StudySnapshot ToSnapshot() =>
        new(Finished.Select(t => t.ToTrialResult()), Pending.Select(t => KeyValuePair.Create(t.Number, t.Parameter)));
}
