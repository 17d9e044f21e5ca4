using DistillML.TestSupport;
using DistillML.Tuning.Storage.Tests.Support;
using StoreWorker;
using DistillML.Tuning.Trials;

namespace DistillML.Tuning.Storage.Tests;

/// <summary>Real worker processes sharing one store; one is killed (SIGKILL) in the middle of a trial.</summary>
public sealed class WorkerProcessTests
{
    private const int Budget = 12;

    // Once failed with two completed trials on the same parameters: the Bayesian tuner re-proposed front members
    // (an integer feature perturbed inside its rounding cell); pinned in DuplicateProposalTests and fixed in the tuner.
    [Theory]
    [MemberData(nameof(StoreBackends.All), MemberType = typeof(StoreBackends))]
    public async Task Four_worker_processes_with_one_killed_mid_trial_finish_the_budget_with_every_trial_accounted_for(string backend)
    {
        await using var test = await TestStore.CreateAsync(backend);
        var study = TestStore.UniqueStudy("procs");
        string[] Args(int trainMs = 400) => ["--store", test.ConnectionString, "--study", study, "--budget", Budget.ToString(),
            "--train-ms", trainMs.ToString(), "--heartbeat-ms", "100", "--stale-ms", "2500", "--tuner", "bayes"];

        // The victim's trials take a minute, so the kill lands inside its first one however loaded the machine is (with
        // 400 ms, a slow reader of its output once killed it after that trial, while it was proposing the next).
        var workers = Enumerable.Range(0, 4).Select(i => WorkerProcess.Start($"w{i}", i == 0 ? Args(60_000) : Args())).ToList();
        try
        {
            var victim = workers[0];
            await victim.WaitForLineAsync(l => l.StartsWith("claimed ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            victim.Kill(); // within the minute of "training" that follows the line
            await victim.WaitForExitAsync(TimeSpan.FromSeconds(10));
            var restarted = WorkerProcess.Start("w0-restarted", Args());
            workers.Add(restarted);

            foreach (var w in workers.Skip(1))
            {
                Assert.True(await w.WaitForExitAsync(TimeSpan.FromSeconds(90)) == 0, $"{w.Name} failed:\n{string.Join('\n', w.Lines)}");
            }

            await using var store = await test.OpenAsync();
            var trials = await store.GetTrialsAsync(study);
            var detail = string.Join('\n', trials.Select(t => $"{t.Number} {t.State} {t.WorkerId} retry_of={t.RetryOf} retried_as={t.RetriedAs} {t.Parameter}"));

            // Every trial id accounted for: numbers 0..n-1, none left pending or running.
            Assert.Equal(Enumerable.Range(0, trials.Count), trials.Select(t => t.Number));
            Assert.DoesNotContain(trials, t => t.IsPending);

            // The killed worker's trial failed and was retried once, with the same parameter, by another worker.
            var dead = Assert.Single(trials, t => t.WorkerId == "w0" && t.State != TrialState.Completed);
            var killedTrial = dead.Number;
            Assert.True(dead.State == TrialState.Failed && dead.RetriedAs is not null && victim.Claimed[^1] == killedTrial, detail);
            var retry = trials[dead.RetriedAs!.Value];
            Assert.Equal((TrialState.Completed, killedTrial, dead.Parameter), (retry.State, retry.RetryOf!.Value, retry.Parameter));
            Assert.NotEqual("w0", retry.WorkerId);

            // Completed == budget; the results a tuner sees are the completed trials, each run once, with distinct parameters.
            var results = trials.Where(t => t.CountsAsResult).ToList();
            Assert.True(results.Count == Budget && results.All(t => t.State == TrialState.Completed), detail);
            Assert.True(results.Select(t => t.Parameter).Distinct().Count() == Budget, detail);
            Assert.All(results, t => Assert.Equal(FakeProblem.Loss(t.Parameter), t.Metrics["loss"]));
            Assert.True(trials.Count == Budget + 1, detail);

            // Each trial was claimed by exactly one process ("claimed N" lines), except that the killed one's retry is a new number.
            var claims = workers.SelectMany(w => w.Claimed.Select(n => (Worker: w.Name, Number: n))).ToList();
            Assert.Equal(trials.Select(t => t.Number), claims.Select(c => c.Number).Order());
            Assert.All(results, t => Assert.Equal(t.WorkerId, claims.Single(c => c.Number == t.Number).Worker));
            Assert.True(workers.Skip(1).Count(w => w.Claimed.Count > 0) >= 2, "the trials were not spread over the workers");
        }
        finally
        {
            foreach (var w in workers)
            {
                w.Dispose();
            }
        }
    }
}
