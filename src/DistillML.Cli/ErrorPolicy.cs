using System.CommandLine;
using System.CommandLine.Invocation;
using Spectre.Console;

namespace DistillML.Cli;

/// <summary>
/// The one error policy of every command: a user error (a missing or malformed file, a bad checkpoint or option value,
/// an I/O failure such as a full disk or a denied permission, an unreachable store) prints one red line naming the cause
/// and exits 2; cancellation (Ctrl-C) exits 130; anything else is a bug and shows its stack trace (exit 1).
/// <c>--verbose</c> shows the stack trace of user errors too. Applied once, to every command, by <see cref="Program.Build"/>.
/// </summary>
internal static class ErrorPolicy
{
    public static readonly Option<bool> Verbose = new("--verbose") { Description = "Show the stack trace of errors too.", Recursive = true };

    /// <summary>Wraps the action of every command under <paramref name="root"/>.</summary>
    public static RootCommand Apply(RootCommand root, IAnsiConsole console)
    {
        root.Options.Add(Verbose);
        foreach (var command in root.Subcommands) Wrap(command, console);
        return root;
    }

    private static void Wrap(Command command, IAnsiConsole console)
    {
        if (command.Action is SynchronousCommandLineAction inner) command.Action = new Guarded(inner, console);
        foreach (var sub in command.Subcommands) Wrap(sub, console);
    }

    /// <summary>
    /// True for failures the user can fix. InvalidOperationException counts: the libraries throw it for states the user's
    /// input caused (a teacher without a vocabulary, a study of another configuration); a bug shows with --verbose.
    /// </summary>
    public static bool IsUserError(Exception e) => e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException
        or ArgumentException or InvalidOperationException or System.Text.Json.JsonException or Torch.Training.TrainingDivergedException
        or Tuning.Storage.TrialStoreException or System.Net.Sockets.SocketException or System.Data.Common.DbException
        or System.ComponentModel.Win32Exception or Microsoft.ML.OnnxRuntime.OnnxRuntimeException;

    /// <summary>Handles <paramref name="error"/> by the policy and returns the exit code.</summary>
    public static int Handle(Exception error, IAnsiConsole console, bool verbose)
    {
        var e = Unwrap(error);
        if (e is OperationCanceledException)
        {
            console.MarkupLine("[yellow]Cancelled.[/]");
            return 130;
        }
        if (IsUserError(e))
        {
            console.MarkupLineInterpolated($"[red]error: {OneLine(e.Message)}[/]");
            if (verbose) console.WriteLine(e.ToString());
            return 2;
        }
        console.MarkupLine("[red]internal error (a bug; please report it with this trace):[/]");
        console.WriteLine(e.ToString());
        return 1;
    }

    private static Exception Unwrap(Exception e)
    {
        while (true)
        {
            switch (e)
            {
                case AggregateException { InnerExceptions.Count: 1 } a: e = a.InnerExceptions[0]; continue;
                case System.Reflection.TargetInvocationException { InnerException: { } inner }: e = inner; continue;
                default: return e;
            }
        }
    }

    private static string OneLine(string message) => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private sealed class Guarded(SynchronousCommandLineAction inner, IAnsiConsole console) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            try
            {
                return inner.Invoke(parseResult);
            }
            catch (Exception e)
            {
                return Handle(e, console, parseResult.GetValue(Verbose));
            }
        }
    }
}
