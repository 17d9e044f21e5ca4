using System.CommandLine;
using DistillML.Cli.Sweeps;
using Spectre.Console;

namespace DistillML.Cli.Commands;

/// <summary>
/// <c>distillml worker</c>: one more worker of a shared study (PostgreSQL across machines, or SQLite across processes):
/// claims trials in the store's transactions until the budget is spent. Give it the same data, teacher and settings as the sweep.
/// </summary>
internal static class WorkerCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var options = new SweepOptions();
        options.Store.Required = true;
        var command = new Command("worker", "Train trials of a shared study (same --store and --study as the sweep) until its budget is spent.");
        foreach (var option in options.All) command.Options.Add(option);
        command.SetAction(parse =>
        {
            using var cancel = new CancelOnCtrlC();
            var table = new LiveTrialTable();
            try
            {
                var (experiment, _, _) = options.Build(parse, table, console, cancel.Token);
                var result = console.Live(table.Table).Start(live =>
                {
                    table.Attach(live);
                    return experiment.RunAsync(cancel.Token).GetAwaiter().GetResult();
                });
                console.MarkupLineInterpolated($"Study '{result.StudyName}' has {result.Trials.Count} trials, {result.ParetoFront.Count} on the front.");
                return 0;
            }
            catch (OperationCanceledException)
            {
                console.MarkupLine("[yellow]Stopped; this worker's running trial went back to the store.[/]");
                return 130;
            }
        });
        return command;
    }
}
