using DistillML.Torch.Training;

namespace DistillML.Experiments;

/// <summary>
/// Hears a distillation sweep's trials as they run, like ML.NET AutoML's <c>IMonitor</c>. Calls come from the
/// experiment's worker thread, one trial at a time per experiment; keep them quick.
/// </summary>
public interface IMonitor
{
    /// <summary>A trial was claimed and starts training.</summary>
    void ReportRunningTrial(ExperimentTrial trial);

    /// <summary>A running trial was evaluated on the dev set at <paramref name="step"/> (what the pruner sees).</summary>
    void ReportIntermediate(ExperimentTrial trial, int step, double f1);

    /// <summary>A trial finished: completed (trained, evaluated, exported) or pruned.</summary>
    void ReportCompletedTrial(ExperimentTrial trial);

    /// <summary>A trial threw or went NaN; the sweep goes on.</summary>
    void ReportFailTrial(ExperimentTrial trial, Exception exception);

    /// <summary>
    /// Training progress of a running trial, as <see cref="TrainingProgress"/> phases: "teacher-logits" (the shared
    /// cache, computed by the first trial that needs it), "distill" (steps, loss, windows/s, ETA) and "evaluate".
    /// Reported every few steps; the default ignores it.
    /// </summary>
    void ReportProgress(ExperimentTrial trial, TrainingProgress progress) { }
}

/// <summary>A monitor that ignores everything.</summary>
public sealed class NullMonitor : IMonitor
{
    /// <summary>The instance.</summary>
    public static NullMonitor Instance { get; } = new();

    /// <inheritdoc />
    public void ReportRunningTrial(ExperimentTrial trial) { }

    /// <inheritdoc />
    public void ReportIntermediate(ExperimentTrial trial, int step, double f1) { }

    /// <inheritdoc />
    public void ReportCompletedTrial(ExperimentTrial trial) { }

    /// <inheritdoc />
    public void ReportFailTrial(ExperimentTrial trial, Exception exception) { }
}
