using DistillML.Torch.Training;
using Spectre.Console;

namespace DistillML.Cli;

/// <summary>Shows <see cref="TrainingProgress"/> reports as Spectre.Console progress bars, one per phase.</summary>
internal sealed class ConsoleProgress(ProgressContext context) : IProgress<TrainingProgress>
{
    private readonly Dictionary<string, ProgressTask> tasks = new();

    public void Report(TrainingProgress p)
    {
        if (p.Phase == "evaluate") return;
        if (!tasks.TryGetValue(p.Phase, out var task))
            tasks[p.Phase] = task = context.AddTask(p.Phase, maxValue: p.TotalSteps);
        task.Value = p.Step;
        task.Description = $"{p.Phase} loss {p.Loss:F3} {p.ExamplesPerSecond:F0} ex/s";
    }

    /// <summary>Runs <paramref name="work"/> under a progress display (plain lines when the console is not interactive).</summary>
    public static T Run<T>(IAnsiConsole console, Func<IProgress<TrainingProgress>, T> work) =>
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context => work(new ConsoleProgress(context)));
}
