using DistillML.Torch.Training;
using Spectre.Console;

namespace DistillML.Cli;

/// <summary>Shows <see cref="TrainingProgress"/> reports as Spectre.Console progress bars, one per phase.</summary>
internal sealed class ConsoleProgress(ProgressContext context, IAnsiConsole console, TextWriter? log) : IProgress<TrainingProgress>
{
    private readonly Dictionary<string, ProgressTask> tasks = new();

    public void Report(TrainingProgress p)
    {
        if (p.Evaluation is { } m)
        {
            // Dev metrics as soon as they are computed, above the bars (and in the log).
            string line = $"step {p.Step}/{p.TotalSteps}: dev EM {m.Exact:F2} F1 {m.F1:F2} ({m.Total} questions" +
                (m.BestF1 is { } best ? $"; best_f1 {best:F2}" : "") + $"), elapsed {p.Elapsed:hh\\:mm\\:ss}";
            console.MarkupLineInterpolated($"[green]{line}[/]");
            log?.WriteLine($"{DateTime.UtcNow:O} {line}");
            log?.Flush();
            return;
        }
        if (p.Phase == "evaluate") return;
        if (log is not null && (p.Step % 100 == 0 || p.Step == p.TotalSteps))
        {
            log.WriteLine($"{DateTime.UtcNow:O} {p.Phase} step {p.Step}/{p.TotalSteps} loss {p.Loss:F4} lr {p.LearningRate:G3} {p.ExamplesPerSecond:F1} ex/s elapsed {p.Elapsed:hh\\:mm\\:ss} eta {p.Eta:hh\\:mm\\:ss}");
            log.Flush();
        }
        if (!tasks.TryGetValue(p.Phase, out var task))
            tasks[p.Phase] = task = context.AddTask(p.Phase, maxValue: p.TotalSteps);
        task.Value = p.Step;
        task.Description = $"{p.Phase} loss {p.Loss:F3} {p.ExamplesPerSecond:F0} ex/s";
    }

    /// <summary>Runs <paramref name="work"/> under a progress display (plain lines when the console is not interactive).</summary>
    /// <param name="console">Where the bars and the evaluation lines go.</param>
    /// <param name="work">The work, reporting to the progress it is given.</param>
    /// <param name="log">When given, progress and evaluations are also appended to it as plain lines (for runs watched from elsewhere).</param>
    public static T Run<T>(IAnsiConsole console, Func<IProgress<TrainingProgress>, T> work, TextWriter? log = null) =>
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context => work(new ConsoleProgress(context, console, log)));
}
