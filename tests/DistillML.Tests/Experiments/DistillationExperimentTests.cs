using DistillML.Experiments;
using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Storage;
using Xunit.Abstractions;
using DistillML.Tuning.Trials;

namespace DistillML.Tests.Experiments;

[Collection(TinyTeacherCollection.Name)]
public sealed class DistillationExperimentTests(TinyTeacherFixture fixture, ITestOutputHelper output)
{
    private string NewDirectory() => Path.Combine(fixture.Root, "sweeps", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task RunAsync_trains_the_budget_exports_every_completed_student_to_onnx_and_returns_its_pareto_front()
    {
        var monitor = new RecordingMonitor();
        var experiment = ExperimentTestKit.Tiny(fixture, NewDirectory(), "front", trials: 3, monitor);
        experiment.Options.SaveCheckpoints = true;
        var result = await experiment.RunAsync();
        foreach (var t in result.Trials)
            output.WriteLine($"{t.Number} {t.State} {t.Settings.Shape} F1 {t.F1:F2} params {t.Parameters:N0} {t.WallTime} {t.Error}");

        Assert.Equal([0, 1, 2], result.Trials.Select(t => t.Number));
        Assert.All(result.Trials, t => Assert.Equal(TrialState.Completed, t.State));
        Assert.All(result.Trials, t => Assert.True(File.Exists(t.OnnxPath), $"trial {t.Number} has no ONNX model"));
        Assert.All(result.Trials, t => Assert.Equal( // int8 size reported is the int8 file beside it
            new FileInfo(Path.Combine(Path.GetDirectoryName(t.OnnxPath)!, "student-int8.onnx")).Length / 1e6, t.Int8Megabytes));
        Assert.All(result.Trials, t => Assert.True(t.Int8Megabytes < new FileInfo(t.OnnxPath!).Length / 1e6, "int8 is smaller than float32"));
        Assert.All(result.Trials, t => Assert.NotNull(QaManifest.Read(t.CheckpointPath!))); // evaluate/export read the trial's windows
        Assert.All(result.Trials, t => Assert.Equal( // the known objective the tuner saw is the student's true size
            StudentTrialSettings.From(t.Parameter, fixture.Teacher.Config.MaxPositionEmbeddings).ParameterCount(fixture.Teacher.Config.VocabSize), t.Parameters));
        Assert.All(result.Trials, t => Assert.Equal([4, 8], t.IntermediateF1.Select(v => v.Key)));
        Assert.NotEmpty(result.ParetoFront);
        Assert.Contains(result.BestTradeOff, result.ParetoFront);
        Assert.All(result.ParetoFront, member => Assert.DoesNotContain(result.Trials,
            other => other.F1 >= member.F1 && other.Parameters <= member.Parameters && (other.F1 > member.F1 || other.Parameters < member.Parameters)));
        Assert.Equal(0, result.BaselineTrial);
        Assert.Equal(ExperimentTestKit.TinySpace().Default, result.Trials[0].Parameter);
        Assert.Equal(fixture.Teacher.ParameterCount, result.Teacher!.Parameters);
        Assert.NotNull(result.Teacher.F1);
        Assert.Equal(3, result.HypervolumeHistory.Count);
        Assert.True(result.HypervolumeHistory.Zip(result.HypervolumeHistory.Skip(1)).All(p => p.Second >= p.First), "hypervolume never drops");
        Assert.Equal(["running 0", "intermediate 0 4", "intermediate 0 8", "completed 0"], monitor.Events.Take(4));
        Assert.Equal(3, monitor.Events.Count(e => e.StartsWith("completed")));
        // Progress for the live display: the first trial computes the shared teacher-logit cache, every trial distils to its last step.
        var cache = monitor.Progress.Where(p => p.Phase == "teacher-logits").ToList();
        Assert.NotEmpty(cache);
        Assert.All(cache, p => Assert.Equal(0, p.Trial));
        Assert.Equal(cache[^1].Total, cache[^1].Step);
        Assert.All(result.Trials, t => Assert.Contains((t.Number, "distill", 8, 8), monitor.Progress));
    }

    [Fact]
    public async Task A_second_run_with_the_same_store_and_study_keeps_the_finished_trials_and_adds_new_ones()
    {
        string directory = NewDirectory();
        var first = await ExperimentTestKit.Tiny(fixture, directory, "resume", trials: 2).RunAsync();
        var second = await ExperimentTestKit.Tiny(fixture, directory, "resume", trials: 4).RunAsync();

        Assert.Equal(2, first.Trials.Count);
        Assert.Equal([0, 1, 2, 3], second.Trials.Select(t => t.Number));
        Assert.All(second.Trials, t => Assert.Equal(TrialState.Completed, t.State));
        foreach (var kept in first.Trials)
        {
            var again = second.Trials[kept.Number];
            Assert.Equal(kept.Parameter, again.Parameter);
            Assert.Equal(kept.F1, again.F1);
            Assert.Equal(kept.OnnxPath, again.OnnxPath);
        }
        Assert.Equal(4, second.Trials.Select(t => t.Parameter).Distinct().Count());
    }

    [Fact]
    public async Task A_trial_that_throws_is_recorded_failed_with_its_error_and_the_sweep_goes_on()
    {
        var good = ExperimentTestKit.TinySpace().Default;
        var impossible = new Parameter([new("layers", 1), new("hidden", 30), new("heads", 4), new("intermediate", 32)]);
        var monitor = new RecordingMonitor();
        var experiment = ExperimentTestKit.Tiny(fixture, NewDirectory(), "failing", trials: 2, monitor).SetTuner(new ScriptedTuner(impossible, good));
        experiment.Options.EnqueueBaseline = false;

        var result = await experiment.RunAsync();

        Assert.Equal(TrialState.Failed, result.Trials[0].State);
        Assert.Contains("impossible student", result.Trials[0].Error);
        Assert.Equal(TrialState.Completed, result.Trials[1].State);
        Assert.Contains("failed 0", monitor.Events);
        Assert.Equal([1], result.ParetoFront.Select(t => t.Number));
    }

    [Fact]
    public async Task A_trial_the_pruner_stops_is_recorded_pruned_with_its_last_f1_and_no_onnx_model()
    {
        var monitor = new RecordingMonitor();
        var result = await ExperimentTestKit.Tiny(fixture, NewDirectory(), "pruned", trials: 2, monitor).SetPruner(new PruneOneTrial(1)).RunAsync();

        Assert.Equal(TrialState.Completed, result.Trials[0].State);
        var pruned = result.Trials[1];
        Assert.Equal(TrialState.Pruned, pruned.State);
        Assert.Equal([4], pruned.IntermediateF1.Select(v => v.Key));
        Assert.Equal(pruned.IntermediateF1[0].Value, pruned.F1);
        Assert.Null(pruned.OnnxPath);
        Assert.Contains("pruned 1", monitor.Events);
        Assert.DoesNotContain(pruned, result.ParetoFront);
    }

    [Fact]
    public async Task ExperimentResult_LoadAsync_reads_the_same_trials_and_front_back_from_the_store()
    {
        string directory = NewDirectory();
        var experiment = ExperimentTestKit.Tiny(fixture, directory, "reload", trials: 1);
        var result = await experiment.RunAsync();
        await using var store = await TrialStore.OpenAsync(experiment.StoreConnectionString);
        var loaded = await ExperimentResult.LoadAsync(store, "reload");

        Assert.Equal(result.Trials.Select(t => (t.Number, t.F1, t.OnnxPath)), loaded.Trials.Select(t => (t.Number, t.F1, t.OnnxPath)));
        Assert.Equal(result.ParetoFront.Select(t => t.Number), loaded.ParetoFront.Select(t => t.Number));
        Assert.Equal(result.Teacher, loaded.Teacher);
    }

    [Fact]
    public async Task RunAsync_without_a_teacher_says_what_to_set()
    {
        var experiment = new Microsoft.ML.MLContext().Distillation().CreateExperiment().SetData(fixture.Train, fixture.Dev);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => experiment.RunAsync());
        Assert.Contains("SetTeacher", error.Message);
    }
}
