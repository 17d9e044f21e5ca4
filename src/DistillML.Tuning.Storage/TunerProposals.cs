using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Trials;
using DistillML.Tuning.Tuners;

namespace DistillML.Tuning.Storage;

/// <summary>
/// Proposal functions for <see cref="ITrialStore.ClaimNextTrialAsync"/> built from tuners. Tuners' proposals are a
/// pure function of their seed, the trial id and the history, so a fresh tuner that is shown the store's history
/// (finished trials replayed in the order they finished, the others' running and pending trials as pending)
/// proposes what one long-lived tuner would have, whichever worker or process asks.
/// </summary>
public static class TunerProposals
{
    /// <summary>Each claim builds a tuner with <paramref name="createTuner"/>, shows it the study's history and asks it for the new trial.</summary>
    public static Func<ProposalContext, Parameter> FromFreshTuner(Func<ITuner> createTuner)
    {
        ArgumentNullException.ThrowIfNull(createTuner);
        return context =>
        {
            var tuner = createTuner() ?? throw new InvalidOperationException("The tuner factory returned null.");
            return Propose(tuner, context);
        };
    }

    /// <summary>
    /// Shows <paramref name="tuner"/> (a fresh one) the history in <paramref name="context"/>: the finished trials, and the
    /// pending ones when it is an <see cref="IPendingAwareTuner"/>. Returns its proposal.
    /// </summary>
    public static Parameter Propose(ITuner tuner, ProposalContext context)
    {
        ArgumentNullException.ThrowIfNull(tuner);
        ArgumentNullException.ThrowIfNull(context);
        tuner.Replay(context.Finished.Select(t => t.ToTrialResult()));
        if (tuner is IPendingAwareTuner { History: var history })
        {
            foreach (var pending in context.Pending)
            {
                history.AddPending(pending.Number, pending.Parameter);
            }
        }

        return tuner.Propose(new TrialSettings { TrialId = context.TrialNumber, StartedAtUtc = DateTime.UtcNow });
    }
}
