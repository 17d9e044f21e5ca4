using DistillML.Experiments;
using DistillML.Torch.Distillation;
using DistillML.Torch.Modeling;
using DistillML.Torch.Training;

namespace DistillML.Tests;

/// <summary>Every options type that restates the training schedule takes its defaults from <see cref="TrainingDefaults"/>.</summary>
public class ScheduleDefaultsTests
{
    [Fact]
    public void The_library_the_trainer_and_the_sweep_baseline_share_one_distillation_schedule()
    {
        var estimator = new DistillBertOptions();
        var trainer = new DistillationOptions();
        var baseline = StudentTrialSettings.From(StudentSearchSpaces.ScaledTo(new BertConfig { NumLayers = 6, HiddenSize = 384, NumHeads = 12, IntermediateSize = 1536 }).Default);

        var expected = (TrainingDefaults.DistillationLearningRate, TrainingDefaults.Temperature, TrainingDefaults.AlphaCe, TrainingDefaults.AlphaSquad,
            TrainingDefaults.WarmupFraction, TrainingDefaults.WeightDecay);
        Assert.Equal(expected, (estimator.LearningRate, estimator.Temperature, estimator.AlphaCe, estimator.AlphaSquad, estimator.WarmupFraction, estimator.WeightDecay));
        Assert.Equal(expected, (trainer.Optimization.LearningRate, trainer.Temperature, trainer.AlphaCe, trainer.AlphaSquad,
            trainer.Optimization.WarmupFraction, trainer.Optimization.WeightDecay));
        Assert.Equal(expected, (baseline.LearningRate, baseline.Temperature, baseline.AlphaCe, baseline.AlphaSquad, baseline.WarmupFraction, baseline.WeightDecay), new CloseTuple());
        Assert.Equal((TrainingDefaults.Epochs, TrainingDefaults.BatchSize, (int?)null), (estimator.Epochs, estimator.BatchSize, estimator.Seed)); // null: the MLContext's
        Assert.Equal((TrainingDefaults.Epochs, TrainingDefaults.BatchSize, TrainingDefaults.Seed), (trainer.Epochs, trainer.BatchSize, trainer.Seed));
    }

    [Fact]
    public void Fine_tuning_keeps_berts_learning_rate_and_a_sweep_trial_its_own_budget()
    {
        Assert.Equal(TrainingDefaults.FineTuningLearningRate, new TrainingLoopOptions().LearningRate);
        Assert.Equal(TrainingDefaults.FineTuningLearningRate, new DistillML.Torch.QuestionAnswering.BertQaTrainerOptions().Optimization.LearningRate);
        var sweep = new DistillationExperimentOptions();
        Assert.Equal((TrainingDefaults.SweepTrialEpochs, TrainingDefaults.BatchSize, (int?)null), (sweep.Epochs, sweep.BatchSize, sweep.Seed)); // null: the MLContext's
        Assert.Equal(1e-3, TrainingDefaults.DistillationLearningRateFor(128));
        Assert.Equal(TrainingDefaults.DistillationLearningRate, TrainingDefaults.DistillationLearningRateFor(384));
    }

    /// <summary>The sweep's default point comes back through its feature space, so its floats are equal to rounding only.</summary>
    private sealed class CloseTuple : IEqualityComparer<(double, double, double, double, double, double)>
    {
        public bool Equals((double, double, double, double, double, double) a, (double, double, double, double, double, double) b) =>
            Close(a.Item1, b.Item1) && Close(a.Item2, b.Item2) && Close(a.Item3, b.Item3) && Close(a.Item4, b.Item4) && Close(a.Item5, b.Item5) && Close(a.Item6, b.Item6);

        public int GetHashCode((double, double, double, double, double, double) obj) => 0;

        private static bool Close(double x, double y) => Math.Abs(x - y) <= 1e-9 * Math.Max(1, Math.Abs(x));
    }
}
