using System.Collections.Concurrent;
using DistillML.Experiments;
using DistillML.Tuning.Pruners;
using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Trials;
using DistillML.Tuning.Tuners;
using Microsoft.ML;

namespace DistillML.Tests.Experiments;

/// <summary>Tiny sweeps over the tiny teacher: 1-2 layer students, 8 steps, 48 questions, 16 dev questions.</summary>
internal static class ExperimentTestKit
{
    public static SearchSpace TinySpace() => SearchSpace.Create()
        .AddInteger("layers", 1, 2, init: 1)
        .AddFixed("heads", 2)
        .AddOrderedChoice("head_size", 8, 16)
        .AddFixed("intermediate_multiple", 2)
        .AddFloat("learning_rate", 1e-3, 5e-3, init: 3e-3, logScale: true)
        .Build();

    public static DistillationExperiment Tiny(TinyTeacherFixture fixture, string directory, string study, int trials, IMonitor? monitor = null) =>
        new MLContext(seed: 1).Distillation().CreateExperiment()
            .SetTeacher(fixture.Teacher)
            .SetData(fixture.Train.Take(48).ToList(), fixture.Dev.Take(16).ToList())
            .SetSearchSpace(TinySpace())
            .SetTrialBudget(trials)
            .SetStudyName(study)
            .SetMonitor(monitor ?? NullMonitor.Instance)
            .SetOptions(new DistillationExperimentOptions
            {
                OutputDirectory = directory, MaxSequenceLength = 128, DocStride = 32, MaxQueryLength = 32, MaxStepsPerTrial = 8, BatchSize = 16,
                EvaluateEverySteps = 4, Initialization = Torch.Distillation.StudentInitialization.Random, SaveCheckpoints = false, Seed = 3,
                InferenceBatchSize = 32,
            });
}

/// <summary>Records every monitor event.</summary>
internal sealed class RecordingMonitor : IMonitor
{
    public ConcurrentQueue<string> Events { get; } = new();

    public void ReportRunningTrial(ExperimentTrial trial) => Events.Enqueue($"running {trial.Number}");

    public void ReportIntermediate(ExperimentTrial trial, int step, double f1) => Events.Enqueue($"intermediate {trial.Number} {step}");

    public void ReportCompletedTrial(ExperimentTrial trial) => Events.Enqueue($"{trial.State.ToString().ToLowerInvariant()} {trial.Number}");

    public void ReportFailTrial(ExperimentTrial trial, Exception exception) => Events.Enqueue($"failed {trial.Number}");

    /// <summary>Training progress, apart from <see cref="Events"/>: (trial, phase, step, total steps).</summary>
    public ConcurrentQueue<(int Trial, string Phase, int Step, int Total)> Progress { get; } = new();

    public void ReportProgress(ExperimentTrial trial, Torch.Training.TrainingProgress progress) =>
        Progress.Enqueue((trial.Number, progress.Phase, progress.Step, progress.TotalSteps));
}

/// <summary>Proposes the given parameters in order (then the last one again).</summary>
internal sealed class ScriptedTuner(params Parameter[] script) : ITuner
{
    public Parameter Propose(TrialSettings settings) => settings.Parameter = script[Math.Min(settings.TrialId, script.Length - 1)];

    public void Update(TrialResult result) { }
}

/// <summary>Prunes one trial at its first report.</summary>
internal sealed class PruneOneTrial(int trialId) : IPruner
{
    public bool ShouldPrune(PruningSnapshot study, PrunedTrialView trial) => trial.Number == trialId;
}
