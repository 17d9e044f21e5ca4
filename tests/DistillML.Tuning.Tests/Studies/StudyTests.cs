using DistillML.Tuning.Studies;
using DistillML.Tuning.Trials;
using DistillML.Tuning.Tuners;
using DistillML.Tuning.Tests.Tuners;

namespace DistillML.Tuning.Tests.Studies;

public class StudyTests
{
    [Fact]
    public async Task Optimize_records_exceptions_as_failed_trials_with_their_message_and_keeps_the_front()
    {
        var problem = TestProblems.TwoObjective();
        var study = new Study(problem, new SobolTuner(problem.Space, seed: 2));
        await study.OptimizeAsync((s, _) => s.TrialId == 3
            ? throw new InvalidOperationException("boom")
            : Task.FromResult<IReadOnlyDictionary<string, double>>(TestProblems.Evaluate(s.Parameter)), trials: 10, parallelism: 2);
        Assert.Equal(10, study.Trials.Count);
        var failed = Assert.Single(study.Trials, t => t.Status == TrialStatus.Failed);
        Assert.Equal("InvalidOperationException: boom", failed.Error);
        Assert.All(study.Trials.Where(t => t.Status == TrialStatus.Completed), t => Assert.Null(t.Error));
        Assert.NotEmpty(study.ParetoFront);
        Assert.All(study.ParetoFront, t => Assert.Equal(TrialStatus.Completed, t.Status));
    }

    [Fact]
    public void Resumed_study_replays_history_and_continues_trial_ids()
    {
        var problem = TestProblems.TwoObjective();
        var first = new Study(problem, new SobolTuner(problem.Space));
        for (var i = 0; i < 3; i++)
        {
            var s = first.Ask();
            first.Tell(TrialResult.Completed(s, TestProblems.Evaluate(s.Parameter)));
        }

        var tuner = new SobolTuner(problem.Space);
        var resumed = new Study(problem, tuner, first.Trials);
        Assert.Equal(3, tuner.History.Results.Count);
        Assert.Equal(3, resumed.Ask().TrialId);
    }
}
