using DistillML.TestSupport;
using DistillML.Tuning.Storage.Tests.Support;
using DistillML.Tuning.Storage.Workers;
using DistillML.Tuning.Tuners;
using StoreWorker;
using DistillML.Tuning.Trials;

namespace DistillML.Tuning.Storage.Tests;

public sealed class ResumeTests
{
    [Theory]
    [MemberData(nameof(StoreBackends.All), MemberType = typeof(StoreBackends))]
    public async Task A_sweep_through_the_store_proposes_exactly_what_one_in_memory_tuner_would(string backend)
    {
        // A fresh store and a fresh tuner for every trial: as if the sweep were killed and resumed each time.
        var actual = await ProposeThroughStore(backend, () => TunerProposals.FromFreshTuner(() => FakeProblem.CreateTuner("bayes")));
        Assert.Equal(InMemoryReference(), actual);
    }

    [Theory]
    [MemberData(nameof(StoreBackends.All), MemberType = typeof(StoreBackends))]
    public async Task One_sampler_serving_every_claim_proposes_exactly_what_one_in_memory_tuner_would(string backend)
    {
        // One sampler instance, already used elsewhere: it proposes from the store's snapshot, not from what it saw.
        var sampler = (ISampler)FakeProblem.CreateTuner("bayes");
        ((ITuner)sampler).Propose(new Trials.TrialSettings { TrialId = 0 });
        var propose = TunerProposals.FromSampler(sampler);
        var actual = await ProposeThroughStore(backend, () => propose);
        Assert.Equal(InMemoryReference(), actual);
    }

    private const int ReferenceTrials = 9; // 6 design points, then modelled proposals

    // The reference: one long-lived tuner in AutoML's propose/update loop, never stored.
    private static List<SearchSpace.Parameter> InMemoryReference()
    {
        var tuner = FakeProblem.CreateTuner("bayes");
        var expected = new List<SearchSpace.Parameter>();
        for (var i = 0; i < ReferenceTrials; i++)
        {
            var settings = new Trials.TrialSettings { TrialId = i, StartedAtUtc = DateTime.UtcNow };
            settings.Parameter = tuner.Propose(settings);
            expected.Add(settings.Parameter);
            tuner.Update(Trials.TrialResult.Completed(settings, Proposals.Metrics(FakeProblem.Loss(settings.Parameter))));
        }

        return expected;
    }

    private static async Task<List<SearchSpace.Parameter>> ProposeThroughStore(string backend, Func<Func<ProposalContext, SearchSpace.Parameter>> proposals)
    {
        await using var test = await TestStore.CreateAsync(backend);
        var name = TestStore.UniqueStudy();
        var actual = new List<SearchSpace.Parameter>();
        for (var i = 0; i < ReferenceTrials; i++)
        {
            await using var store = await test.OpenAsync();
            await store.CreateOrOpenStudyAsync(FakeProblem.Study(name));
            var trial = await store.ClaimNextTrialAsync(name, "w", proposals());
            actual.Add(trial!.Parameter);
            await store.FinishTrialAsync(name, trial.Number, "w", trial.Completed(Proposals.Metrics(FakeProblem.Loss(trial.Parameter))));
        }

        return actual;
    }

    [Theory]
    [MemberData(nameof(StoreBackends.All), MemberType = typeof(StoreBackends))]
    public async Task A_sweep_killed_mid_trial_resumes_keeping_finished_trials_and_retrying_the_dead_one(string backend)
    {
        await using var test = await TestStore.CreateAsync(backend);
        var name = TestStore.UniqueStudy();
        var propose = TunerProposals.FromFreshTuner(() => FakeProblem.CreateTuner("sobol"));
        await using (var crashed = await test.OpenAsync())
        {
            await crashed.CreateOrOpenStudyAsync(FakeProblem.Study(name));
            for (var i = 0; i < 4; i++)
            {
                var trial = await crashed.ClaimNextTrialAsync(name, "crashed", propose);
                if (i < 3)
                {
                    await crashed.FinishTrialAsync(name, trial!.Number, "crashed", trial.Completed(Proposals.Metrics(i)));
                }
            }
        } // trial 3 is left running, its heartbeat goes stale

        await Task.Delay(600);
        await using var store = await test.OpenAsync();
        var worker = new TrialWorker(store, name, "resumed", propose, new TrialWorkerOptions
        {
            MaxTrials = 6,
            HeartbeatInterval = TimeSpan.FromMilliseconds(50),
            Reap = new ReapOptions { MaxAge = TimeSpan.FromMilliseconds(500), Policy = StaleTrialPolicy.RetryStale },
        });
        var ran = await worker.RunAsync((t, _) => Task.FromResult(t.Record.Completed(Proposals.Metrics(FakeProblem.Loss(t.Record.Parameter)))));

        var trials = await store.GetTrialsAsync(name);
        Assert.Equal(3, ran); // the retry of trial 3 (as trial 4) and two new trials
        Assert.Equal(Enumerable.Range(0, 7), trials.Select(t => t.Number));
        Assert.Equal((TrialState.Failed, 4), (trials[3].State, trials[3].RetriedAs!.Value));
        Assert.Equal(trials[3].Parameter, trials[4].Parameter);
        Assert.Equal(6, trials.Count(t => t.State == TrialState.Completed));
        Assert.Equal(["crashed", "crashed", "crashed", "resumed", "resumed", "resumed"],
            trials.Where(t => t.CountsAsResult).Select(t => t.WorkerId));
        Assert.Equal(6, trials.Where(t => t.CountsAsResult).Select(t => t.Parameter).Distinct().Count());
    }
}
