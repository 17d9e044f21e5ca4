using DistillML.TestSupport;
using DistillML.Tuning.Storage.Tests.Support;
using StoreWorker;
using DistillML.Tuning.Trials;

namespace DistillML.Tuning.Storage.Tests;

public sealed class ReapingTests
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(400);

    [Theory]
    [MemberData(nameof(StoreBackends.All), MemberType = typeof(StoreBackends))]
    public async Task Heartbeats_keep_a_trial_alive_and_a_silent_one_is_failed(string backend)
    {
        await using var test = await TestStore.CreateAsync(backend);
        await using var store = await test.OpenAsync();
        var study = TestStore.UniqueStudy();
        await store.CreateOrOpenStudyAsync(FakeProblem.Study(study));
        var alive = await store.ClaimNextTrialAsync(study, "alive", Proposals.ByNumber);
        var dead = await store.ClaimNextTrialAsync(study, "dead", Proposals.ByNumber);

        for (var i = 0; i < 6; i++)
        {
            await Task.Delay(100);
            Assert.True(await store.HeartbeatAsync(study, alive!.Number, "alive"));
        }

        var reaped = await store.ReapStaleTrialsAsync(study, new ReapOptions { MaxAge = MaxAge });

        Assert.Equal([dead!.Number], reaped.Select(t => t.Number));
        Assert.Equal(TrialState.Failed, reaped[0].State);
        Assert.Contains("'dead' stopped heartbeating", reaped[0].Error);
        Assert.Null(reaped[0].RetriedAs);
        Assert.Equal(TrialState.Running, (await store.GetTrialAsync(study, alive!.Number))!.State);
        Assert.False(await store.HeartbeatAsync(study, dead.Number, "dead"));
        Assert.False(await store.FinishTrialAsync(study, dead.Number, "dead", dead.Completed(Proposals.Metrics(1))));
        Assert.Equal([Trials.TrialState.Failed], (await store.LoadResultsAsync(study)).Select(r => r.Status));
    }

    [Theory]
    [MemberData(nameof(StoreBackends.All), MemberType = typeof(StoreBackends))]
    public async Task RetryStale_requeues_the_parameter_once_and_hides_the_dead_attempt_from_tuners(string backend)
    {
        await using var test = await TestStore.CreateAsync(backend);
        await using var store = await test.OpenAsync();
        var study = TestStore.UniqueStudy();
        await store.CreateOrOpenStudyAsync(FakeProblem.Study(study));
        var dead = await store.ClaimNextTrialAsync(study, "dead", Proposals.ByNumber, maxTrials: 2);
        await Task.Delay(MaxAge * 2);

        var reaped = await store.ReapStaleTrialsAsync(study, new ReapOptions { MaxAge = MaxAge, Policy = StaleTrialPolicy.RetryStale });
        var again = await store.ReapStaleTrialsAsync(study, new ReapOptions { MaxAge = MaxAge, Policy = StaleTrialPolicy.RetryStale });
        var retry = await store.ClaimNextTrialAsync(study, "w2", _ => throw new InvalidOperationException("the retry must be claimed first"), maxTrials: 2);
        var second = await store.ClaimNextTrialAsync(study, "w3", Proposals.ByNumber, maxTrials: 2);
        var third = await store.ClaimNextTrialAsync(study, "w3", Proposals.ByNumber, maxTrials: 2);

        Assert.Equal(1, reaped[0].RetriedAs);
        Assert.Empty(again);
        Assert.Equal((1, dead!.Parameter, 0, 2), (retry!.Number, retry.Parameter, retry.RetryOf, retry.Attempt));
        Assert.Equal(2, second!.Number);
        Assert.Null(third); // the dead attempt does not use up the budget
        await store.FinishTrialAsync(study, retry.Number, "w2", retry.Completed(Proposals.Metrics(0.5)));
        Assert.Equal([1], (await store.LoadResultsAsync(study)).Select(r => r.TrialSettings.TrialId));
    }

    [Theory]
    [MemberData(nameof(StoreBackends.All), MemberType = typeof(StoreBackends))]
    public async Task Retries_stop_after_MaxAttempts_and_the_last_attempt_stays_failed(string backend)
    {
        await using var test = await TestStore.CreateAsync(backend);
        await using var store = await test.OpenAsync();
        var study = TestStore.UniqueStudy();
        await store.CreateOrOpenStudyAsync(FakeProblem.Study(study));
        var options = new ReapOptions { MaxAge = MaxAge, Policy = StaleTrialPolicy.RetryStale, MaxAttempts = 2 };
        await store.ClaimNextTrialAsync(study, "dead1", Proposals.ByNumber);
        await Task.Delay(MaxAge * 2);
        await store.ReapStaleTrialsAsync(study, options);
        await store.ClaimNextTrialAsync(study, "dead2", Proposals.ByNumber);
        await Task.Delay(MaxAge * 2);

        var reaped = await store.ReapStaleTrialsAsync(study, options);

        Assert.Equal((1, 2, (int?)null), (reaped.Single().Number, reaped[0].Attempt, reaped[0].RetriedAs));
        Assert.DoesNotContain(await store.GetTrialsAsync(study), t => t.IsPending);
        Assert.Equal([1], (await store.LoadResultsAsync(study)).Select(r => r.TrialSettings.TrialId));
    }
}
