using DistillML.TestSupport;
using DistillML.Tuning.Storage.Tests.Support;
using StoreWorker;
using DistillML.Tuning.Trials;

namespace DistillML.Tuning.Storage.Tests;

public sealed class TrialLifecycleTests
{
    [Theory]
    [MemberData(nameof(StoreBackends.All), MemberType = typeof(StoreBackends))]
    public async Task A_claimed_trial_is_running_for_its_worker_with_the_proposal_and_a_heartbeat(string backend)
    {
        await using var test = await TestStore.CreateAsync(backend);
        await using var store = await test.OpenAsync();
        var study = TestStore.UniqueStudy();
        await store.CreateOrOpenStudyAsync(FakeProblem.Study(study));

        var first = await store.ClaimNextTrialAsync(study, "w1", Proposals.ByNumber);
        var second = await store.ClaimNextTrialAsync(study, "w2", Proposals.ByNumber);

        Assert.Equal(0, first!.Number);
        Assert.Equal(1, second!.Number);
        Assert.Equal(TrialState.Running, first.State);
        Assert.Equal("w1", first.WorkerId);
        Assert.Equal(Proposals.Point(0.0, 1), first.Parameter);
        Assert.Equal(Proposals.Point(0.01, 2), second.Parameter);
        Assert.NotNull(first.HeartbeatUtc);
        Assert.NotNull(first.StartedAtUtc);
        Assert.InRange(first.StartedAtUtc!.Value, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(5));
    }

    [Theory]
    [MemberData(nameof(StoreBackends.All), MemberType = typeof(StoreBackends))]
    public async Task A_finished_trial_round_trips_metrics_values_artifacts_cost_and_NaN(string backend)
    {
        await using var test = await TestStore.CreateAsync(backend);
        await using var store = await test.OpenAsync();
        var study = TestStore.UniqueStudy();
        await store.CreateOrOpenStudyAsync(FakeProblem.Study(study));
        var trial = await store.ClaimNextTrialAsync(study, "w", Proposals.ByNumber);

        await store.ReportIntermediateValueAsync(study, trial!.Number, 2, 0.5);
        await store.ReportIntermediateValueAsync(study, trial.Number, 1, 0.25);
        await store.ReportIntermediateValueAsync(study, trial.Number, 2, 0.75); // replaces step 2
        await store.SetArtifactAsync(study, trial.Number, "onnx", "/models/0.onnx");
        var finished = await store.FinishTrialAsync(study, trial.Number, "w",
            trial.Completed(new Dictionary<string, double> { ["loss"] = 0.125, ["f1"] = double.NaN, ["big"] = double.PositiveInfinity }, cost: 3.5)
                with
            { DurationInMilliseconds = 1234 });

        var stored = await store.GetTrialAsync(study, trial.Number);
        Assert.True(finished);
        Assert.Equal(TrialState.Completed, stored!.State);
        Assert.Equal(0.125, stored.Metrics["loss"]);
        Assert.True(double.IsNaN(stored.Metrics["f1"]));
        Assert.Equal(double.PositiveInfinity, stored.Metrics["big"]);
        Assert.Equal([new(1, 0.25), new(2, 0.75)], stored.IntermediateValues);
        Assert.Equal("/models/0.onnx", stored.Artifacts["onnx"]);
        Assert.Equal(3.5, stored.Cost);
        Assert.Equal(1234, stored.DurationInMilliseconds);
        Assert.Equal(1, stored.FinishSequence);
        Assert.NotNull(stored.EndedAtUtc);

        var result = stored.ToTrialResult();
        Assert.Equal(0, result.TrialSettings.TrialId);
        Assert.Equal(trial.Parameter, result.TrialSettings.Parameter);
        Assert.Equal(Trials.TrialState.Completed, result.Status);
    }

    [Theory]
    [MemberData(nameof(StoreBackends.All), MemberType = typeof(StoreBackends))]
    public async Task Failed_and_pruned_outcomes_keep_their_error_and_partial_metrics(string backend)
    {
        await using var test = await TestStore.CreateAsync(backend);
        await using var store = await test.OpenAsync();
        var study = TestStore.UniqueStudy();
        await store.CreateOrOpenStudyAsync(FakeProblem.Study(study));
        var a = await store.ClaimNextTrialAsync(study, "w", Proposals.ByNumber);
        var b = await store.ClaimNextTrialAsync(study, "w", Proposals.ByNumber);

        await store.FinishTrialAsync(study, a!.Number, "w", a.Failed("loss went NaN at step 3"));
        await store.FinishTrialAsync(study, b!.Number, "w", b.Pruned(Proposals.Metrics(0.9)));

        var trials = await store.GetTrialsAsync(study);
        Assert.Equal(TrialState.Failed, trials[0].State);
        Assert.Equal("loss went NaN at step 3", trials[0].Error);
        Assert.Equal(TrialState.Pruned, trials[1].State);
        Assert.Equal(0.9, trials[1].Metrics["loss"]);
        var results = await store.LoadResultsAsync(study);
        Assert.Equal([Trials.TrialState.Failed, Trials.TrialState.Pruned], results.Select(r => r.Status));
    }

    [Theory]
    [MemberData(nameof(StoreBackends.All), MemberType = typeof(StoreBackends))]
    public async Task A_worker_cannot_finish_a_trial_it_does_not_hold(string backend)
    {
        await using var test = await TestStore.CreateAsync(backend);
        await using var store = await test.OpenAsync();
        var study = TestStore.UniqueStudy();
        await store.CreateOrOpenStudyAsync(FakeProblem.Study(study));
        var trial = await store.ClaimNextTrialAsync(study, "w1", Proposals.ByNumber);

        Assert.False(await store.FinishTrialAsync(study, trial!.Number, "intruder", trial.Completed(Proposals.Metrics(1))));
        Assert.True(await store.FinishTrialAsync(study, trial.Number, "w1", trial.Completed(Proposals.Metrics(1))));
        Assert.False(await store.FinishTrialAsync(study, trial.Number, "w1", trial.Completed(Proposals.Metrics(2))));
        Assert.Equal(1, (await store.GetTrialAsync(study, trial.Number))!.Metrics["loss"]);
        await Assert.ThrowsAsync<TrialStoreException>(() => store.FinishTrialAsync(study, 99, "w1", TrialResult.Completed(new TrialSettings { TrialId = 99 }, Proposals.Metrics(1))));
    }

    [Theory]
    [MemberData(nameof(StoreBackends.All), MemberType = typeof(StoreBackends))]
    public async Task Claims_stop_at_the_budget(string backend)
    {
        await using var test = await TestStore.CreateAsync(backend);
        await using var store = await test.OpenAsync();
        var study = TestStore.UniqueStudy();
        await store.CreateOrOpenStudyAsync(FakeProblem.Study(study));

        for (var i = 0; i < 3; i++)
        {
            Assert.NotNull(await store.ClaimNextTrialAsync(study, "w", Proposals.ByNumber, maxTrials: 3));
        }

        Assert.Null(await store.ClaimNextTrialAsync(study, "w", Proposals.ByNumber, maxTrials: 3));
        Assert.NotNull(await store.ClaimNextTrialAsync(study, "w", Proposals.ByNumber, maxTrials: 4));
    }

    [Theory]
    [MemberData(nameof(StoreBackends.All), MemberType = typeof(StoreBackends))]
    public async Task The_proposal_sees_finished_trials_in_finish_order_and_pending_ones(string backend)
    {
        await using var test = await TestStore.CreateAsync(backend);
        await using var store = await test.OpenAsync();
        var study = TestStore.UniqueStudy();
        await store.CreateOrOpenStudyAsync(FakeProblem.Study(study));
        for (var i = 0; i < 3; i++)
        {
            await store.ClaimNextTrialAsync(study, "w", Proposals.ByNumber);
        }

        await store.FinishTrialAsync(study, 2, "w", TrialResult.Completed(new TrialSettings { TrialId = 2 }, Proposals.Metrics(2)));
        await store.FinishTrialAsync(study, 0, "w", TrialResult.Completed(new TrialSettings { TrialId = 0 }, Proposals.Metrics(0)));
        ProposalContext? seen = null;
        var claimed = await store.ClaimNextTrialAsync(study, "w2", c =>
        {
            seen = c;
            return Proposals.ByNumber(c);
        });

        Assert.Equal(3, claimed!.Number);
        Assert.Equal(3, seen!.TrialNumber);
        Assert.Equal("w2", seen.WorkerId);
        Assert.Equal([2, 0], seen.Finished.Select(t => t.Number));
        Assert.Equal([1], seen.Pending.Select(t => t.Number));
        Assert.Equal(2, seen.Finished[0].Metrics["loss"]);
    }

    [Theory]
    [MemberData(nameof(StoreBackends.All), MemberType = typeof(StoreBackends))]
    public async Task A_proposal_that_throws_rolls_the_claim_back(string backend)
    {
        await using var test = await TestStore.CreateAsync(backend);
        await using var store = await test.OpenAsync();
        var study = TestStore.UniqueStudy();
        await store.CreateOrOpenStudyAsync(FakeProblem.Study(study));

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            store.ClaimNextTrialAsync(study, "w", _ => throw new InvalidOperationException("tuner failed")));

        Assert.Empty(await store.GetTrialsAsync(study));
        Assert.Equal(0, (await store.ClaimNextTrialAsync(study, "w", Proposals.ByNumber))!.Number);
    }

    [Theory]
    [MemberData(nameof(StoreBackends.All), MemberType = typeof(StoreBackends))]
    public async Task Of_workers_enqueueing_the_first_trial_together_exactly_one_does(string backend)
    {
        await using var test = await TestStore.CreateAsync(backend);
        var study = TestStore.UniqueStudy();
        await using (var setup = await test.OpenAsync())
            await setup.CreateOrOpenStudyAsync(FakeProblem.Study(study));

        // Eight connections race; the check and the insert share one transaction.
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            await using var store = await test.OpenAsync();
            return await store.EnqueueFirstTrialAsync(study, Proposals.Point(0.5, 4));
        })));

        await using var check = await test.OpenAsync();
        var trial = Assert.Single(await check.GetTrialsAsync(study));
        Assert.Equal((0, TrialState.Pending, Proposals.Point(0.5, 4)), (trial.Number, trial.State, trial.Parameter));
        Assert.Single(results, r => r is not null);
        Assert.Null(await check.EnqueueFirstTrialAsync(study, Proposals.Point(0.1, 1)));
    }

    [Theory]
    [MemberData(nameof(StoreBackends.All), MemberType = typeof(StoreBackends))]
    public async Task Enqueued_and_released_trials_are_claimed_before_new_proposals_with_their_parameter(string backend)
    {
        await using var test = await TestStore.CreateAsync(backend);
        await using var store = await test.OpenAsync();
        var study = TestStore.UniqueStudy();
        await store.CreateOrOpenStudyAsync(FakeProblem.Study(study));
        var running = await store.ClaimNextTrialAsync(study, "w1", Proposals.ByNumber);
        await store.ReportIntermediateValueAsync(study, running!.Number, 1, 0.5);
        var enqueued = await store.EnqueueTrialAsync(study, Proposals.Point(0.77, 7));

        Assert.True(await store.ReleaseTrialAsync(study, running.Number, "w1"));
        Assert.False(await store.ReleaseTrialAsync(study, running.Number, "w1"));
        var again = await store.ClaimNextTrialAsync(study, "w2", _ => throw new InvalidOperationException("no proposal expected"));
        var queued = await store.ClaimNextTrialAsync(study, "w2", _ => throw new InvalidOperationException("no proposal expected"));
        var fresh = await store.ClaimNextTrialAsync(study, "w2", Proposals.ByNumber);

        Assert.Equal(TrialState.Pending, enqueued.State);
        Assert.Equal((running.Number, running.Parameter, "w2"), (again!.Number, again.Parameter, again.WorkerId));
        Assert.Empty(again.IntermediateValues);
        Assert.Equal((enqueued.Number, Proposals.Point(0.77, 7)), (queued!.Number, queued.Parameter));
        Assert.Equal(2, fresh!.Number);
    }
}
