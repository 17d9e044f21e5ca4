using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Trials;
using DistillML.Tuning.Tuners;

namespace DistillML.Tuning.Storage;

/// <summary>
/// Proposal functions for <see cref="ITrialStore.ClaimNextTrialAsync"/>. A <see cref="ISampler"/> (every built-in tuner)
/// proposes from the store's snapshot of the study directly, so one instance serves every claim. An AutoML-shaped
/// <see cref="ITuner"/> that is not a sampler keeps its history inside; a fresh one is shown the store's history
/// (finished trials replayed in the order they finished, the others' running and pending trials as pending) at each claim,
/// which proposes what one long-lived tuner would have when its proposals depend on its seed, the trial id and the history.
/// </summary>
public static class TunerProposals
{
    /// <summary>Each claim asks <paramref name="sampler"/> with the study's snapshot; the sampler must be safe to call from several threads.</summary>
    public static Func<ProposalContext, Parameter> FromSampler(ISampler sampler)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        return context => sampler.Sample(context.ToSnapshot(), context.TrialNumber);
    }

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
