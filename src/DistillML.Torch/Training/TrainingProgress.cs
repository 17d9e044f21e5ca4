namespace DistillML.Torch.Training;

/// <summary>A progress report from a training run (fine-tuning, MLM pretraining or distillation).</summary>
/// <param name="Phase">What is running, e.g. "fine-tune", "mlm", "distill", "evaluate".</param>
/// <param name="Step">Optimizer steps done.</param>
/// <param name="TotalSteps">Optimizer steps planned.</param>
/// <param name="Loss">Mean loss over the steps since the previous report.</param>
/// <param name="LearningRate">Learning rate of the last step.</param>
/// <param name="ExamplesPerSecond">Training examples (windows) per second since the run started.</param>
/// <param name="Elapsed">Wall time since the run started.</param>
/// <param name="Eta">Estimated time to the last step at the current rate.</param>
/// <param name="Evaluation">For "evaluate" reports: the dev metrics just computed.</param>
public sealed record TrainingProgress(
    string Phase, int Step, int TotalSteps, double Loss, double LearningRate, double ExamplesPerSecond, TimeSpan Elapsed, TimeSpan Eta,
    DistillML.Text.Squad.SquadMetrics? Evaluation = null);

/// <summary>Thrown when the loss becomes NaN or infinite; nothing is written after it.</summary>
public sealed class TrainingDivergedException(int step, double loss)
    : Exception($"Training diverged at step {step}: the loss is {loss}. Lower the learning rate or check the data; no checkpoint was written from this state.")
{
    /// <summary>The optimizer step at which the loss stopped being finite.</summary>
    public int Step { get; } = step;
}
