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
