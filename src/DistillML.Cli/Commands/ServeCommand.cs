using Microsoft.Extensions.Hosting;
using System.CommandLine;
using DistillML.Serving;
using Spectre.Console;

namespace DistillML.Cli.Commands;

/// <summary><c>distillml serve</c>: the HTTP answer service (POST /answer, GET /health) over an exported student.</summary>
internal static class ServeCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var model = new Option<FileInfo>("--model") { Description = "The exported .onnx file (its vocab.txt beside it).", Required = true };
        var urls = new Option<string>("--urls") { Description = "Where to listen.", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var maxContext = new Option<int?>("--max-context-chars") { Description = "Longest context accepted (default 50,000)." };
        var command = new Command("serve", "Serve a student over HTTP with ONNX Runtime: POST /answer {question, context}, GET /health.")
        {
            model, urls, maxContext,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetValue(model)!;
            if (!file.Exists)
            {
                console.MarkupLineInterpolated($"[red]{file.FullName} not found: export a student first (distillml export).[/]");
                return 2;
            }
            var args = new List<string> { "--model", file.FullName, "--urls", parse.GetValue(urls)! };
            if (parse.GetValue(maxContext) is { } n) args.AddRange(["--max-context-chars", n.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            var app = QaServiceHost.Build([.. args]);
            console.MarkupLineInterpolated($"Serving [bold]{file.Name}[/] on {parse.GetValue(urls)} (Ctrl-C stops).");
            await app.StartAsync(cancellationToken);
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
