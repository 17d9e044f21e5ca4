using DistillML.Tuning.Objectives;
using DistillML.Tuning.Pruners;

namespace DistillML.Tuning.Tests.Pruners;

public class PrunerTests
{
    [Fact]
    public void Median_pruner_stops_a_trial_worse_than_the_median_of_finished_trials()
    {
        var pruner = new MedianPruner(ObjectiveDirection.Maximize, startupTrials: 3);
        for (var t = 0; t < 3; t++)
        {
            Assert.False(pruner.ReportAndShouldPrune(t, 1, 0.5 + 0.1 * t));
            pruner.Finish(t);
        }

        // Median at step 1 is 0.6.
        Assert.True(pruner.ReportAndShouldPrune(10, 1, 0.55));
        Assert.False(pruner.ReportAndShouldPrune(11, 1, 0.65));
    }

    [Fact]
    public void Median_pruner_with_peers_compares_a_small_trial_only_with_trials_no_larger()
    {
        // Trials 0-2 are large and accurate; small trials are judged only against small ones.
        var size = new Dictionary<int, int> { [0] = 100, [1] = 100, [2] = 100, [3] = 10, [4] = 10, [5] = 10, [6] = 10, [7] = 10, [8] = 100 };
        var pruner = new MedianPruner(ObjectiveDirection.Maximize, startupTrials: 3) { Peers = (t, o) => size[o] <= size[t] };
        for (var t = 0; t < 3; t++)
        {
            pruner.ReportAndShouldPrune(t, 1, 0.8);
            pruner.Finish(t);
        }

        // Far below the large trials' median, but no small peer has finished: startup, not pruned.
        Assert.False(pruner.ReportAndShouldPrune(3, 1, 0.3));
        pruner.Finish(3);
        pruner.ReportAndShouldPrune(4, 1, 0.35);
        pruner.Finish(4);
        pruner.ReportAndShouldPrune(5, 1, 0.4);
        pruner.Finish(5);

        // Three small peers (median 0.35): below it is pruned, above it is not.
        Assert.True(pruner.ReportAndShouldPrune(6, 1, 0.2));
        Assert.False(pruner.ReportAndShouldPrune(7, 1, 0.5));
        // A large trial is judged against everything no larger than it (median 0.8 of six).
        Assert.True(pruner.ReportAndShouldPrune(8, 1, 0.5));
    }

    [Fact]
    public void Median_pruner_never_prunes_during_startup_or_warmup()
    {
        var pruner = new MedianPruner(ObjectiveDirection.Minimize, startupTrials: 2, warmupSteps: 3);
        pruner.ReportAndShouldPrune(0, 1, 0.1);
        pruner.Finish(0);
        Assert.False(pruner.ReportAndShouldPrune(1, 1, 9.0));
        pruner.Finish(1);
        Assert.False(pruner.ReportAndShouldPrune(2, 1, 9.0));
    }

    [Fact]
    public void Successive_halving_keeps_the_top_third_at_each_rung()
    {
        var pruner = new SuccessiveHalvingPruner(ObjectiveDirection.Maximize, minResource: 1, reductionFactor: 3);
        Assert.Equal(3, pruner.RungStep(1));
        Assert.False(pruner.ReportAndShouldPrune(0, 1, 0.9)); // 1 value, keep 1: best
        Assert.True(pruner.ReportAndShouldPrune(1, 1, 0.5));  // 2 values, keep 1: 0.9 is better
        Assert.False(pruner.ReportAndShouldPrune(2, 1, 0.95)); // 3 values, keep 1: best
        Assert.True(pruner.ReportAndShouldPrune(3, 1, 0.6));  // 4 values, keep 2: two better
        Assert.False(pruner.ReportAndShouldPrune(0, 2, 0.91)); // between rungs
        Assert.False(pruner.ReportAndShouldPrune(0, 3, 0.92)); // first at rung 1
    }
}
