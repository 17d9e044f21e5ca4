using DistillML.Torch.Training;
using Spectre.Console;

namespace SquadDistillation;

/// <summary>Shows each phase of a training run ("mlm", "fine-tune", "teacher-logits", "distill") as its own progress bar.</summary>
internal sealed class SpectreTrainingProgress(ProgressContext context, string prefix) : IProgress<TrainingProgress>
{
    private readonly Dictionary<string, ProgressTask> tasks = [];
    private readonly object gate = new();

    public void Report(TrainingProgress value)
    {
        if (value.Phase == "evaluate") return; // evaluations happen inside the training bar's steps
        lock (gate)
        {
            if (!tasks.TryGetValue(value.Phase, out var task))
                tasks[value.Phase] = task = context.AddTask($"{prefix}: {value.Phase}", maxValue: value.TotalSteps);
            task.Value = value.Step;
            if (!double.IsNaN(value.Loss)) task.Description = $"{prefix}: {value.Phase} (loss {value.Loss:F3}, {value.ExamplesPerSecond:F0}/s)";
        }
    }
}
