using DistillML.TestSupport;
using DistillML.Tuning.Storage.Tests.Support;
using DistillML.Tuning.Storage.Workers;
using StoreWorker;
using DistillML.Tuning.Trials;

namespace DistillML.Tuning.Storage.Tests;

public sealed class TrialWorkerTests
{
    private static TrialWorkerOptions Options(int budget) => new()
    {
        MaxTrials = budget,
        HeartbeatInterval = TimeSpan.FromMilliseconds(50),
        Reap = new ReapOptions { MaxAge = TimeSpan.FromSeconds(5), Policy = StaleTrialPolicy.RetryStale },
    };

    [Fact]
    public async Task A_trial_that_throws_is_recorded_as_failed_with_its_error_and_the_worker_goes_on()
    {
        await using var test = await TestStore.CreateAsync(StoreBackends.Sqlite);
        await using var store = await test.OpenAsync();
        var study = TestStore.UniqueStudy();
        await store.CreateOrOpenStudyAsync(FakeProblem.Study(study));
        var worker = new TrialWorker(store, study, null, Proposals.ByNumber, Options(3));

        var ran = await worker.RunAsync((t, _) => t.Record.Number == 1
            ? throw new InvalidOperationException("student diverged")
            : Task.FromResult(t.Record.Completed(Proposals.Metrics(t.Record.Number))));

        var trials = await store.GetTrialsAsync(study);
        Assert.Equal(3, ran);
        Assert.Equal([TrialState.Completed, TrialState.Failed, TrialState.Completed], trials.Select(t => t.State));
        Assert.Contains("student diverged", trials[1].Error);
        Assert.All(trials, t => Assert.Equal(worker.WorkerId, t.WorkerId));
        Assert.All(trials, t => Assert.NotNull(t.DurationInMilliseconds));
    }

    [Fact]
    public async Task A_store_that_fails_for_a_while_still_records_the_trials_cause()
    {
        await using var test = await TestStore.CreateAsync(StoreBackends.Sqlite);
        await using var real = await test.OpenAsync();
        var study = TestStore.UniqueStudy();
        await real.CreateOrOpenStudyAsync(FakeProblem.Study(study));
        var store = new FailingFinishStore(real, failures: 2);
        var options = new TrialWorkerOptions
        {
            MaxTrials = 1, HeartbeatInterval = TimeSpan.FromMilliseconds(50), RecordRetryDelay = TimeSpan.FromMilliseconds(20),
            Reap = new ReapOptions { MaxAge = TimeSpan.FromSeconds(5), Policy = StaleTrialPolicy.RetryStale },
        };

        await new TrialWorker(store, study, "w", Proposals.ByNumber, options).RunAsync((_, _) => throw new IOException("No space left on device : '/runs/sweep/trial-0/student.onnx'"));

        var trial = Assert.Single(await real.GetTrialsAsync(study));
        Assert.Equal(3, store.FinishAttempts);
        Assert.Equal(TrialState.Failed, trial.State);
        Assert.Contains("No space left on device", trial.Error); // the cause, not "stopped heartbeating" later
    }

    [Fact]
    public async Task A_store_that_keeps_failing_gets_an_error_that_names_the_trials_cause_too()
    {
        await using var test = await TestStore.CreateAsync(StoreBackends.Sqlite);
        await using var real = await test.OpenAsync();
        var study = TestStore.UniqueStudy();
        await real.CreateOrOpenStudyAsync(FakeProblem.Study(study));
        var store = new FailingFinishStore(real, failures: int.MaxValue);
        var options = new TrialWorkerOptions { MaxTrials = 1, RecordAttempts = 3, RecordRetryDelay = TimeSpan.FromMilliseconds(10) };

        var e = await Assert.ThrowsAsync<TrialStoreException>(() => new TrialWorker(store, study, "w", Proposals.ByNumber, options)
            .RunAsync((_, _) => throw new IOException("No space left on device : '/runs/sweep/trial-0/student.onnx'")));

        Assert.Equal(3, store.FinishAttempts);
        Assert.Contains("Trial 0", e.Message);
        Assert.Contains("No space left on device", e.Message);
        Assert.Contains("database or disk is full", e.Message);
    }

    [Fact]
    public async Task A_long_trial_keeps_its_heartbeat_fresh_and_reports_values()
    {
        await using var test = await TestStore.CreateAsync(StoreBackends.Sqlite);
        await using var store = await test.OpenAsync();
        var study = TestStore.UniqueStudy();
        await store.CreateOrOpenStudyAsync(FakeProblem.Study(study));
        var worker = new TrialWorker(store, study, "w", Proposals.ByNumber, Options(1));
        var heartbeats = new List<DateTime>();

        await worker.RunAsync(async (t, ct) =>
        {
            for (var step = 0; step < 4; step++)
            {
                await Task.Delay(120, ct);
                await t.ReportAsync(step, step * 0.1, ct);
                heartbeats.Add((await store.GetTrialAsync(study, t.Record.Number, ct))!.HeartbeatUtc!.Value);
            }

            return t.Record.Completed(Proposals.Metrics(1));
        });

        Assert.True(heartbeats.Distinct().Count() >= 3, string.Join(", ", heartbeats.Select(h => h.ToString("O"))));
        Assert.Equal(4, (await store.GetTrialAsync(study, 0))!.IntermediateValues.Count);
    }

    [Fact]
    public async Task Cancelling_a_worker_gives_its_running_trial_back_for_the_next_worker()
    {
        await using var test = await TestStore.CreateAsync(StoreBackends.Sqlite);
        await using var store = await test.OpenAsync();
        var study = TestStore.UniqueStudy();
        await store.CreateOrOpenStudyAsync(FakeProblem.Study(study));
        using var cts = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        var first = new TrialWorker(store, study, "first", Proposals.ByNumber, Options(1));

        var run = first.RunAsync(async (t, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return t.Record.Completed(Proposals.Metrics(0));
        }, cts.Token);
        await started.Task;
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        Assert.Equal(TrialState.Pending, (await store.GetTrialAsync(study, 0))!.State);
        var second = new TrialWorker(store, study, "second", _ => throw new InvalidOperationException("no new proposal"), Options(1));
        Assert.Equal(1, await second.RunAsync((t, _) => Task.FromResult(t.Record.Completed(Proposals.Metrics(0)))));
        Assert.Equal(("second", TrialState.Completed), ((await store.GetTrialAsync(study, 0))!.WorkerId, (await store.GetTrialAsync(study, 0))!.State));
    }
}
