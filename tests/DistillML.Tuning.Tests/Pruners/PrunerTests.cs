using DistillML.Tuning.Objectives;
using DistillML.Tuning.Pruners;

namespace DistillML.Tuning.Tests.Pruners;

public class PrunerTests
{
    /// <summary>A study's intermediate values as a store would hold them; each report asks the pruner with a fresh snapshot.</summary>
    private sealed class StudyLog
    {
        private readonly SortedDictionary<int, List<KeyValuePair<int, double>>> values = new();
        private readonly HashSet<int> finished = [];

        public bool Report(IPruner pruner, int trial, int step, double value)
        {
            if (!values.TryGetValue(trial, out var list)) values[trial] = list = [];
            list.Add(new(step, value));
            var snapshot = new PruningSnapshot(values.Where(kv => kv.Key != trial).Select(kv => View(kv.Key)).ToList());
            return pruner.ShouldPrune(snapshot, View(trial));
        }

        public void Finish(int trial) => finished.Add(trial);

        private PrunedTrialView View(int trial) => new(trial, finished.Contains(trial), null, values[trial].ToList());
    }

    [Fact]
    public void Median_pruner_stops_a_trial_worse_than_the_median_of_finished_trials()
    {
        var pruner = new MedianPruner(ObjectiveDirection.Maximize, startupTrials: 3);
        var study = new StudyLog();
        for (var t = 0; t < 3; t++)
        {
            Assert.False(study.Report(pruner, t, 1, 0.5 + 0.1 * t));
            study.Finish(t);
        }

        // Median at step 1 is 0.6.
        Assert.True(study.Report(pruner, 10, 1, 0.55));
        Assert.False(study.Report(pruner, 11, 1, 0.65));
    }

    [Fact]
    public void Median_pruner_with_peers_compares_a_small_trial_only_with_trials_no_larger()
    {
        // Trials 0-2 are large and accurate; small trials are judged only against small ones.
        var size = new Dictionary<int, int> { [0] = 100, [1] = 100, [2] = 100, [3] = 10, [4] = 10, [5] = 10, [6] = 10, [7] = 10, [8] = 100 };
        var pruner = new MedianPruner(ObjectiveDirection.Maximize, startupTrials: 3) { Peers = (t, o) => size[o.Number] <= size[t.Number] };
        var study = new StudyLog();
        for (var t = 0; t < 3; t++)
        {
            study.Report(pruner, t, 1, 0.8);
            study.Finish(t);
        }

        // Far below the large trials' median, but no small peer has finished: startup, not pruned.
        Assert.False(study.Report(pruner, 3, 1, 0.3));
        study.Finish(3);
        study.Report(pruner, 4, 1, 0.35);
        study.Finish(4);
        study.Report(pruner, 5, 1, 0.4);
        study.Finish(5);

        // Three small peers (median 0.35): below it is pruned, above it is not. Running trials are no baseline.
        Assert.True(study.Report(pruner, 6, 1, 0.2));
        Assert.False(study.Report(pruner, 7, 1, 0.5));
        // A large trial is judged against everything finished no larger than it (median 0.8 of six).
        Assert.True(study.Report(pruner, 8, 1, 0.5));
    }

    [Fact]
    public void Median_pruner_never_prunes_during_startup_or_warmup()
    {
        var pruner = new MedianPruner(ObjectiveDirection.Minimize, startupTrials: 2, warmupSteps: 3);
        var study = new StudyLog();
        study.Report(pruner, 0, 1, 0.1);
        study.Finish(0);
        Assert.False(study.Report(pruner, 1, 1, 9.0));
        study.Finish(1);
        Assert.False(study.Report(pruner, 2, 1, 9.0));
    }

    [Fact]
    public void A_pruner_decides_from_the_snapshot_alone_so_a_fresh_one_knows_trials_other_workers_finished()
    {
        var finished = Enumerable.Range(0, 3).Select(t => new PrunedTrialView(t, true, null, [new(1, 0.5 + 0.1 * t)])).ToList();
        var study = new PruningSnapshot(finished);
        var worse = new PrunedTrialView(10, false, null, [new(1, 0.55)]);
        Assert.True(new MedianPruner(ObjectiveDirection.Maximize, startupTrials: 3).ShouldPrune(study, worse));
        Assert.True(new MedianPruner(ObjectiveDirection.Maximize, startupTrials: 3).ShouldPrune(study, worse)); // same answer, nothing remembered
        var stillRunning = new PruningSnapshot(finished.Select(t => t with { IsFinished = false }).ToList());
        Assert.False(new MedianPruner(ObjectiveDirection.Maximize, startupTrials: 3).ShouldPrune(stillRunning, worse));
    }

    [Fact]
    public void Successive_halving_keeps_the_top_third_at_each_rung()
    {
        var pruner = new SuccessiveHalvingPruner(ObjectiveDirection.Maximize, minResource: 1, reductionFactor: 3);
        var study = new StudyLog();
        Assert.Equal(3, pruner.RungStep(1));
        Assert.False(study.Report(pruner, 0, 1, 0.9)); // 1 value, keep 1: best
        Assert.True(study.Report(pruner, 1, 1, 0.5));  // 2 values, keep 1: 0.9 is better
        Assert.False(study.Report(pruner, 2, 1, 0.95)); // 3 values, keep 1: best
        Assert.True(study.Report(pruner, 3, 1, 0.6));  // 4 values, keep 2: two better
        Assert.False(study.Report(pruner, 0, 2, 0.91)); // between rungs
        Assert.False(study.Report(pruner, 0, 3, 0.92)); // first at rung 1
        Assert.True(study.Report(pruner, 2, 3, 0.80)); // at rung 1 with 0.92: keep 1 of 2
    }
}
