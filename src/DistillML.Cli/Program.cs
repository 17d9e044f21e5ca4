using System.CommandLine;
using DistillML.Cli.Commands;
using Spectre.Console;

namespace DistillML.Cli;

/// <summary>Entry point of <c>distillml</c>.</summary>
public static class Program
{
    /// <summary>Builds the command tree; tests call it with their own console.</summary>
    public static RootCommand Build(IAnsiConsole console) => ErrorPolicy.Apply(new RootCommand("distillml: distill BERT question answering into small students and ship them as ONNX.")
    {
        ComputeOptions.Threads,
        ComputeOptions.Precision,
        ImportCommand.Create(console),
        TeacherCommand.Create(console),
        EvaluateCommand.Create(console),
        ExportCommand.Create(console),
        QuantizeCommand.Create(console),
        DistillCommand.Create(console),
        SweepCommand.Create(console),
        WorkerCommand.Create(console),
        ReportCommand.Create(console),
        ServeCommand.Create(console),
    }, console);

    /// <summary>Runs the command line.</summary>
    public static int Main(string[] args)
    {
        // Written to a file or a pipe, Spectre assumes 80 columns and wraps each cell of the wide tables (the Pareto
        // front) to a few letters; a log has no width to keep to.
        if (Console.IsOutputRedirected) AnsiConsole.Console.Profile.Width = 160;
        var parse = Build(AnsiConsole.Console).Parse(args);
        if (RunsACommand(parse)) ComputeOptions.Apply(parse, AnsiConsole.Console, parse.CommandResult.Command.Name);
        return parse.Invoke();
    }

    /// <summary>
    /// Whether <paramref name="parse"/> will run a command, so torch's threads and precision are set up first. Not for
    /// parse errors, the root command or --help, which neither train nor should wait for the bf16 probe or warn about contention.
    /// </summary>
    internal static bool RunsACommand(ParseResult parse) =>
        parse.Errors.Count == 0 && parse.CommandResult.Command is not RootCommand && parse.Action is not System.CommandLine.Help.HelpAction;
}
