using DistillML.Experiments;
using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Storage;

namespace DistillML.Tests.Experiments;

public sealed class ExperimentTrialTests
{
    static TrialRecord Record(TrialState state, Dictionary<string, double>? metrics = null) => new()
    {
        StudyName = "s", Number = 3, State = state,
        Parameter = new Parameter([new("layers", 2), new("heads", 4), new("head_size", 32), new("init", "teacher")]),
        IntermediateValues = [new(150, 41.5), new(300, 47.25)],
        Metrics = metrics ?? [],
    };

    [Fact]
    public void A_failed_trial_has_no_f1_whatever_it_reported_before_it_failed()
    {
        Assert.Null(ExperimentTrial.FromRecord(Record(TrialState.Failed)).F1);
        Assert.Null(ExperimentTrial.FromRecord(Record(TrialState.Running)).F1);
    }

    [Fact]
    public void A_pruned_trial_scores_its_last_report_and_a_completed_one_its_metric()
    {
        Assert.Equal(47.25, ExperimentTrial.FromRecord(Record(TrialState.Pruned)).F1);
        var completed = ExperimentTrial.FromRecord(Record(TrialState.Completed, new() { [StudentMetrics.F1] = 50, [StudentMetrics.Int8Megabytes] = 12.5 }));
        Assert.Equal(50, completed.F1);
        Assert.Equal(12.5, completed.Int8Megabytes);
        Assert.Equal("teacher", completed.Settings.InitName);
    }
}
