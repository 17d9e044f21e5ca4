using DistillML.Experiments;
using DistillML.TestSupport;
using DistillML.Tuning.Storage;
using Xunit.Abstractions;
using DistillML.Tuning.Trials;

namespace DistillML.Tests.Experiments;

/// <summary>Experiments as workers of one study: the way a sweep spreads over processes or machines.</summary>
[Collection(TinyTeacherCollection.Name)]
public sealed class SharedStudyTests(TinyTeacherFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(StoreBackends.All), MemberType = typeof(StoreBackends))]
    public async Task Two_workers_on_one_study_share_the_budget_and_train_every_trial_once(string backend)
    {
        string directory = Path.Combine(fixture.Root, "shared", Guid.NewGuid().ToString("N"));
        string store = backend == StoreBackends.Sqlite ? $"Data Source={Path.Combine(directory, "sweep.db")}" : StoreBackends.PostgresConnectionString;
        string study = $"shared-{Guid.NewGuid():N}"[..20];
        // Each worker's first trial waits until the other has claimed one too, so both train whatever the scheduler does.
        using var bothClaimed = new CountdownEvent(2);
        DistillationExperiment Worker(string id)
        {
            var experiment = ExperimentTestKit.Tiny(fixture, directory, study, trials: 4).SetStore(store).SetMonitor(new FirstClaimGate(bothClaimed));
            experiment.Options.WorkerId = id;
            return experiment;
        }

        var results = await Task.WhenAll(Task.Run(() => Worker("a").RunAsync()), Task.Run(() => Worker("b").RunAsync()));

        await using var trialStore = await TrialStore.OpenAsync(store);
        var trials = await trialStore.GetTrialsAsync(study);
        foreach (var t in trials) output.WriteLine($"{t.Number} {t.State} {t.WorkerId} {t.Parameter}");
        Assert.Equal([0, 1, 2, 3], trials.Select(t => t.Number));
        Assert.All(trials, t => Assert.Equal(TrialState.Completed, t.State));
        Assert.Equal(4, trials.Select(t => t.Parameter).Distinct().Count());
        Assert.Equal(["a", "b"], trials.Select(t => t.WorkerId).Distinct().Order()); // both trained
        // Each worker's result is the whole study, whoever trained a trial.
        Assert.All(results, r => Assert.Equal([0, 1, 2, 3], r.Trials.Select(t => t.Number)));
        Assert.Equal(results[0].ParetoFront.Select(t => t.Number), results[1].ParetoFront.Select(t => t.Number));
    }

    [Fact]
    public async Task The_latency_objective_is_measured_through_onnx_runtime_for_every_completed_student()
    {
        var result = await ExperimentTestKit.Tiny(fixture, Path.Combine(fixture.Root, "latency", Guid.NewGuid().ToString("N")), "latency", trials: 2)
            .SetObjectives(StudentObjectives.Default | StudentObjectives.Latency)
            .RunAsync();

        foreach (var t in result.Trials) output.WriteLine($"{t.Number} {t.Settings.Shape} {t.LatencyMs:F3} ms");
        Assert.All(result.Trials, t => Assert.True(t.LatencyMs > 0, $"trial {t.Number} has no latency"));
        Assert.Contains(result.Objectives, o => o.Name == StudentMetrics.LatencyMs);
    }

    [Fact]
    public void Onnx_latency_grows_with_the_students_compute_and_the_known_objective_predicts_it()
    {
        var latency = new OnnxLatencyModel(fixture.Teacher.Config, fixture.Teacher.VocabularyPath!, 128, Path.Combine(fixture.Root, "latency-model"));
        var small = new StudentArchitecture(Layers: 1, Hidden: 32, Heads: 2, Intermediate: 64, MaxPositions: 128);
        var large = new StudentArchitecture(Layers: 4, Hidden: 256, Heads: 4, Intermediate: 1024, MaxPositions: 128); // ~200x the multiply-adds
        double smallMs = latency.MeasureMs(small), largeMs = latency.MeasureMs(large);
        output.WriteLine($"small {smallMs:F3} ms, large {largeMs:F3} ms");
        Assert.True(largeMs > 2 * smallMs, $"small {smallMs:F3} ms, large {largeMs:F3} ms");
        Assert.Equal(smallMs, latency.MeasureMs(small with { Dropout = 0.3 })); // memoised per shape; dropout does not change inference

        var space = ExperimentTestKit.TinySpace();
        var one = space.Default;
        var two = new Tuning.SearchSpace.Parameter(one.Select(kv => kv.Key == "layers" ? new KeyValuePair<string, object>("layers", 2) : kv));
        Assert.True(latency.PredictMs(space, two) > latency.PredictMs(space, one), "two layers predicted no slower than one");
    }

    /// <summary>Holds a worker's first trial until every worker sharing <paramref name="claimed"/> has started one.</summary>
    private sealed class FirstClaimGate(CountdownEvent claimed) : IMonitor
    {
        private int started;

        public void ReportRunningTrial(ExperimentTrial trial)
        {
            if (Interlocked.Exchange(ref started, 1) != 0) return;
            claimed.Signal();
            Assert.True(claimed.Wait(TimeSpan.FromMinutes(2)), "the other worker never claimed a trial");
        }

        public void ReportIntermediate(ExperimentTrial trial, int step, double f1) { }

        public void ReportCompletedTrial(ExperimentTrial trial) { }

        public void ReportFailTrial(ExperimentTrial trial, Exception exception) { }
    }
}
