using DistillML.TestSupport;
using DistillML.Tuning.Storage.Tests.Support;
using StoreWorker;
using DistillML.Tuning.Trials;

namespace DistillML.Tuning.Storage.Tests;

public sealed class ConcurrencyTests
{
    [Theory]
    [MemberData(nameof(StoreBackends.All), MemberType = typeof(StoreBackends))]
    public async Task Many_tasks_claiming_at_once_get_distinct_trials_up_to_the_budget(string backend)
    {
        await using var test = await TestStore.CreateAsync(backend);
        var study = TestStore.UniqueStudy();
        const int budget = 40;
        await using (var setup = await test.OpenAsync())
        {
            await setup.CreateOrOpenStudyAsync(FakeProblem.Study(study));
        }

        // Each task opens its own store, as separate workers would.
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            await using var store = await test.OpenAsync();
            var mine = new List<(int Number, int SeenTrials)>();
            while (await store.ClaimNextTrialAsync(study, $"w{w}", c => { mine.Add((c.TrialNumber, c.Trials.Count + c.Reserved.Count - 1)); return Proposals.ByNumber(c); }, budget)
                   is { } trial)
            {
                await store.FinishTrialAsync(study, trial.Number, $"w{w}", trial.Completed(Proposals.Metrics(trial.Number)));
            }

            return mine;
        })));

        var numbers = claims.SelectMany(c => c.Select(x => x.Number)).Order().ToList();
        Assert.Equal(Enumerable.Range(0, budget), numbers);
        Assert.All(claims.SelectMany(c => c), x => Assert.Equal(x.Number, x.SeenTrials)); // every proposal saw all earlier trials, as trials or as reservations still being proposed
        await using var check = await test.OpenAsync();
        var trials = await check.GetTrialsAsync(study);
        Assert.All(trials, t => Assert.Equal(TrialState.Completed, t.State));
        Assert.Equal(Enumerable.Range(1, budget).Select(i => (long?)i), trials.Select(t => t.FinishSequence).Order());
    }
}
