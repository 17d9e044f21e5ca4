using System.Collections.Concurrent;
using DistillML.TestSupport;
using DistillML.Tuning.Storage.Tests.Support;
using StoreWorker;
using DistillML.Tuning.Trials;

namespace DistillML.Tuning.Storage.Tests;

/// <summary>A proposal runs outside the store's transactions: slow ones (minutes, with --latency) lock nobody out.</summary>
public sealed class SlowProposalTests
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(2);

    // The slow proposal blocks a pool thread, as a real one does; the heartbeat and reaper loops of this one process
    // need others at once, and on 2 loaded cores the pool adds threads only slowly.
    static SlowProposalTests() => ThreadPool.SetMinThreads(Math.Max(16, Environment.ProcessorCount), Math.Max(16, Environment.ProcessorCount));
    private static readonly TimeSpan Beat = TimeSpan.FromMilliseconds(100);

    [Theory]
    [MemberData(nameof(StoreBackends.All), MemberType = typeof(StoreBackends))]
    public async Task A_proposal_longer_than_the_stale_limit_gets_no_healthy_trial_reaped(string backend)
    {
        await using var test = await TestStore.CreateAsync(backend);
        await using var store = await test.OpenAsync();
        var study = TestStore.UniqueStudy();
        await store.CreateOrOpenStudyAsync(FakeProblem.Study(study));
        var running = (await store.ClaimNextTrialAsync(study, "busy", Proposals.ByNumber))!;

        using var stop = new CancellationTokenSource();
        var heartbeats = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                Assert.True(await store.HeartbeatAsync(study, running.Number, "busy"));
                await Task.Delay(Beat);
            }
        });
        var reaped = new ConcurrentBag<int>();
        var reaper = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var t in await store.ReapStaleTrialsAsync(study, new ReapOptions { MaxAge = MaxAge })) reaped.Add(t.Number);
                await Task.Delay(Beat);
            }
        });

        var slow = await store.ClaimNextTrialAsync(study, "slow", c =>
        {
            Thread.Sleep(MaxAge * 2.5); // longer than the stale limit, as exporting and timing ONNX students can be
            return Proposals.Point(0.9, 3);
        }, heartbeatInterval: Beat);
        await stop.CancelAsync();
        await Task.WhenAll(heartbeats, reaper);
        foreach (var t in await store.ReapStaleTrialsAsync(study, new ReapOptions { MaxAge = MaxAge })) reaped.Add(t.Number); // once more, after the claim

        Assert.True(reaped.IsEmpty, $"reaped: {string.Join(", ", reaped)}");
        Assert.Equal((1, TrialState.Running, Proposals.Point(0.9, 3)), (slow!.Number, slow.State, slow.Parameter));
        Assert.Equal(TrialState.Running, (await store.GetTrialAsync(study, running.Number))!.State);
    }

    [Theory]
    [MemberData(nameof(StoreBackends.All), MemberType = typeof(StoreBackends))]
    public async Task Concurrent_proposals_that_collide_are_asked_again_so_no_two_trials_run_the_same_parameter(string backend)
    {
        await using var test = await TestStore.CreateAsync(backend);
        await using var store = await test.OpenAsync();
        var study = TestStore.UniqueStudy();
        await store.CreateOrOpenStudyAsync(FakeProblem.Study(study));

        // Two workers propose at once from the same (empty) history and both come up with the same point. Worker a
        // records it, trains it and finishes before b records: b must not run it again, it is asked again instead and
        // then sees a's trial.
        using var bothReserved = new Barrier(2);
        var aFinished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = new ConcurrentQueue<(string Worker, int Number, int[] Known)>();
        Func<ProposalContext, SearchSpace.Parameter> Propose(string worker) => c =>
        {
            seen.Enqueue((worker, c.TrialNumber, c.Trials.Select(t => t.Number).ToArray()));
            if (c.Trials.Count > 0) return Proposals.Point(0.5 + c.Trials.Count, 2);
            bothReserved.SignalAndWait(TimeSpan.FromSeconds(30));
            if (worker == "b") Assert.True(aFinished.Task.Wait(TimeSpan.FromSeconds(30)));
            return Proposals.Point(0.5, 2);
        };

        var b = Task.Run(() => store.ClaimNextTrialAsync(study, "b", Propose("b"), heartbeatInterval: Beat));
        var a = await Task.Run(() => store.ClaimNextTrialAsync(study, "a", Propose("a"), heartbeatInterval: Beat));
        Assert.True(await store.FinishTrialAsync(study, a!.Number, "a", a.Completed(Proposals.Metrics(1))));
        aFinished.SetResult();
        var second = await b;

        var trials = await store.GetTrialsAsync(study);
        Assert.Equal(2, trials.Count);
        Assert.Equal(2, trials.Select(t => t.Parameter).Distinct().Count());
        Assert.Equal(3, seen.Count); // two first proposals, and b's again after the collision
        var again = seen.Last();
        Assert.Equal(("b", second!.Number), (again.Worker, again.Number));
        Assert.Equal([a.Number], again.Known);
        Assert.Equal(Proposals.Point(1.5, 2), second.Parameter);
    }

    [Theory]
    [MemberData(nameof(StoreBackends.All), MemberType = typeof(StoreBackends))]
    public async Task A_collision_is_asked_again_even_after_the_claim_lost_reservations_to_the_reaper(string backend)
    {
        await using var test = await TestStore.CreateAsync(backend);
        await using var store = await test.OpenAsync();
        var study = TestStore.UniqueStudy();
        await store.CreateOrOpenStudyAsync(FakeProblem.Study(study));
        var shortAge = TimeSpan.FromMilliseconds(300);
        using var stop = new CancellationTokenSource();
        var reaper = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await store.ReapStaleTrialsAsync(study, new ReapOptions { MaxAge = shortAge });
                await Task.Delay(Beat);
            }
        });

        // The slow worker beats too rarely, so its first three reservations are reaped while it proposes (a worker
        // starved under load); during its fourth proposal another worker records the very point it is about to return.
        var twin = Proposals.Point(0.5, 2);
        using var otherMayClaim = new ManualResetEventSlim();
        using var otherClaimed = new ManualResetEventSlim();
        var other = Task.Run(async () =>
        {
            otherMayClaim.Wait(TimeSpan.FromSeconds(60));
            var claimed = await store.ClaimNextTrialAsync(study, "other", _ => twin);
            otherClaimed.Set();
            return claimed;
        });
        var calls = 0;
        var slow = await Task.Run(() => store.ClaimNextTrialAsync(study, "slow", c =>
        {
            if (++calls <= 3)
            {
                Thread.Sleep(shortAge * 4);
                return Proposals.Point(0.1 * calls, 1);
            }

            if (c.Trials.Count == 0)
            {
                otherMayClaim.Set();
                Assert.True(otherClaimed.Wait(TimeSpan.FromSeconds(60)));
                return twin; // what it would have proposed from a history without the other's trial
            }

            return Proposals.Point(0.9, 3); // asked again, it sees the other's trial
        }, heartbeatInterval: TimeSpan.FromHours(1)));
        await stop.CancelAsync();
        await reaper;

        Assert.Equal(5, calls); // three lost reservations, the collision, the proposal asked again
        Assert.Equal(twin, (await other)!.Parameter);
        Assert.Equal(Proposals.Point(0.9, 3), slow!.Parameter);
        var trials = await store.GetTrialsAsync(study);
        Assert.Equal(trials.Count, trials.Select(t => t.Parameter).Distinct().Count());
    }

    [Fact]
    public async Task A_reservation_counts_as_unfinished_until_its_dead_worker_is_reaped_and_its_number_reused()
    {
        await using var test = await TestStore.CreateAsync(StoreBackends.Sqlite);
        await using var store = await test.OpenAsync();
        var study = TestStore.UniqueStudy();
        await store.CreateOrOpenStudyAsync(FakeProblem.Study(study));
        await SchemaProbe.ExecuteAsync(test.ConnectionString,
            "INSERT INTO trials (study_id, number, state, parameter, worker, heartbeat_ms, created_ms, started_ms) " +
            "SELECT id, 0, 'Running', '', 'dead', 0, 0, 0 FROM studies;"); // a reservation as a worker killed mid-proposal leaves it

        Assert.Empty(await store.GetTrialsAsync(study)); // not a trial: no parameter
        Assert.Equal(1, await store.CountUnfinishedAsync(study)); // but a worker with nothing to claim waits for it
        var seenReserved = new List<int>();
        Assert.Empty(await store.ReapStaleTrialsAsync(study, new ReapOptions { MaxAge = MaxAge }));
        var next = await store.ClaimNextTrialAsync(study, "w", c => { seenReserved.AddRange(c.Reserved); return Proposals.ByNumber(c); }, maxTrials: 1);

        Assert.Equal(0, next!.Number);
        Assert.Equal([0], seenReserved);
    }
}
