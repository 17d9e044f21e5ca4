using DistillML.Experiments;
using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Storage;
using DistillML.Tuning.Trials;

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

    [Fact]
    public void An_experiment_trial_is_the_stored_trial_read_through_typed_accessors()
    {
        var record = Record(TrialState.Completed, new() { [StudentMetrics.F1] = 61.5, [StudentMetrics.Parameters] = 4_138_242 }) with
        {
            DurationInMilliseconds = 90_000,
            Artifacts = new Dictionary<string, string> { [ExperimentTrial.OnnxArtifact] = "/runs/3/student.onnx" },
            WorkerId = "w1",
        };
        TrialRecord trial = ExperimentTrial.FromRecord(record);   // the same trial type the store returns
        Assert.Equal((record.Number, record.State, record.Parameter, record.WorkerId, record.DurationInMilliseconds),
            (trial.Number, trial.State, trial.Parameter, trial.WorkerId, trial.DurationInMilliseconds));
        Assert.Same(record.Metrics, trial.Metrics);                // the stored fields, not a copy
        Assert.Same(record.IntermediateValues, trial.IntermediateValues);
        var typed = (ExperimentTrial)trial;
        Assert.Equal((61.5, 4_138_242L, "/runs/3/student.onnx", TimeSpan.FromSeconds(90)), (typed.F1!.Value, typed.Parameters!.Value, typed.OnnxPath, typed.WallTime!.Value));
        Assert.Same(typed, ExperimentTrial.FromRecord(typed));
        var changed = typed with { Metrics = new Dictionary<string, double> { [StudentMetrics.F1] = 70 } };
        Assert.Equal(70, changed.F1);                              // accessors read the record, they keep no copy
        Assert.Equal(typed.Settings, changed.Settings);
    }

    [Fact]
    public async Task A_study_whose_stored_description_is_damaged_is_an_error_naming_it_and_a_foreign_study_has_no_teacher()
    {
        string db = Path.Combine(Path.GetTempPath(), $"study-{Guid.NewGuid():N}.db");
        try
        {
            await using (var store = await TrialStore.OpenAsync($"Data Source={db}"))
            {
                var objectives = new[] { new StudyObjective(StudentMetrics.F1, Tuning.Objectives.ObjectiveDirection.Maximize) };
                await store.CreateOrOpenStudyAsync(new StudyDefinition("damaged", objectives, "{\"kind\": \"distillml-experiment\", \"teacher\": {\"parameters\": \"many\"}}"));
                await store.CreateOrOpenStudyAsync(new StudyDefinition("foreign", objectives, "{\"kind\": \"something-else\"}"));
                var error = await Assert.ThrowsAsync<TrialStoreException>(() => ExperimentResult.LoadAsync(store, "damaged"));
                Assert.Contains("damaged", error.Message);
                Assert.Null((await ExperimentResult.LoadAsync(store, "foreign")).Teacher);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(db) + "*")) File.Delete(f);
        }
    }

    [Fact]
    public async Task The_baseline_is_the_trial_that_ran_its_parameters_after_a_stale_retry()
    {
        string db = Path.Combine(Path.GetTempPath(), $"baseline-{Guid.NewGuid():N}.db");
        try
        {
            await using var store = await TrialStore.OpenAsync($"Data Source={db}");
            var objectives = new[] { new StudyObjective(StudentMetrics.F1, Tuning.Objectives.ObjectiveDirection.Maximize) };
            await store.CreateOrOpenStudyAsync(new StudyDefinition("s", objectives, "{\"kind\": \"distillml-experiment\", \"baseline_trial\": 0}"));
            var baseline = new Parameter([new("layers", 3)]);
            await store.EnqueueFirstTrialAsync("s", baseline);
            Assert.Equal(0, (await store.ClaimNextTrialAsync("s", "dead-worker", _ => throw new InvalidOperationException("the queued trial comes first")))!.Number);
            await Task.Delay(50);
            await store.ReapStaleTrialsAsync("s", new ReapOptions { MaxAge = TimeSpan.FromMilliseconds(1), Policy = StaleTrialPolicy.RetryStale });
            var retry = (await store.ClaimNextTrialAsync("s", "live-worker", _ => throw new InvalidOperationException("the retry comes first")))!;
            Assert.Equal(baseline, retry.Parameter);
            await store.FinishTrialAsync("s", retry.Number, "live-worker", retry.Completed(new Dictionary<string, double> { [StudentMetrics.F1] = 40 }, 1));

            var result = await ExperimentResult.LoadAsync(store, "s");
            Assert.NotEqual(0, retry.Number);
            Assert.Equal(retry.Number, result.BaselineTrial);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(db) + "*")) File.Delete(f);
        }
    }
}
