using DistillML.TestSupport;
using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Storage.Tests.Support;
using DistillML.Tuning.Trials;
using DistillML.Tuning.Tuners;
using StoreWorker;

namespace DistillML.Tuning.Storage.Tests;

public sealed class PendingAwareTunerTests
{
    /// <summary>A user's own tuner: proposes by trial number and remembers what it was shown.</summary>
    private sealed class CustomTuner : IPendingAwareTuner
    {
        public TrialHistory History { get; } = new();

        public IReadOnlyList<int> PendingSeen { get; private set; } = [];

        public Parameter Propose(TrialSettings settings)
        {
            PendingSeen = History.Pending.Select(p => p.Key).ToList();
            return settings.Parameter = Proposals.Point(settings.TrialId / 10.0, 1);
        }

        public void Update(TrialResult result) => History.Record(result);
    }

    [Fact]
    public async Task A_custom_tuner_that_keeps_a_history_is_shown_the_other_workers_pending_trials()
    {
        await using var test = await TestStore.CreateAsync(StoreBackends.Sqlite);
        await using var store = await test.OpenAsync();
        var study = TestStore.UniqueStudy();
        await store.CreateOrOpenStudyAsync(FakeProblem.Study(study));
        await store.ClaimNextTrialAsync(study, "other", Proposals.ByNumber); // running elsewhere
        var finished = await store.ClaimNextTrialAsync(study, "other", Proposals.ByNumber);
        await store.FinishTrialAsync(study, finished!.Number, "other", finished.Completed(Proposals.Metrics(1)));

        var tuner = new CustomTuner();
        var claimed = await store.ClaimNextTrialAsync(study, "me", c => TunerProposals.Propose(tuner, c));

        Assert.Equal([0], tuner.PendingSeen);
        Assert.Single(tuner.History.Results);
        Assert.Equal(Proposals.Point(0.2, 1), claimed!.Parameter);
    }
}
