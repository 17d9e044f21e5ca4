using System.CommandLine;
using DistillML.Cli.Reports;
using DistillML.Cli.Sweeps;
using DistillML.Experiments;
using DistillML.Onnx;
using DistillML.Text.Squad;
using Spectre.Console;

namespace DistillML.Cli.Commands;

/// <summary>
/// <c>distillml sweep</c>, the main job: a multi-objective sweep of students with a live trial table, then the Pareto
/// front, the report, and the best-trade-off student exported to ONNX answering a dev question through ONNX Runtime.
/// Ctrl-C stops after the current step and leaves a resumable store.
/// </summary>
internal static class SweepCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var options = new SweepOptions();
        var command = new Command("sweep", "Search the student space (F1 up, parameters down) and report the Pareto front; the same --store and --study resume.");
        foreach (var option in options.All) command.Options.Add(option);
        command.SetAction(parse => Run(console, options, parse));
        return command;
    }

    private static int Run(IAnsiConsole console, SweepOptions options, ParseResult parse)
    {
        using var cancel = new CancelOnCtrlC();
        string outDir = parse.GetValue(options.Out)!.FullName;
        var table = new LiveTrialTable();
        try
        {
            console.MarkupLine("Loading SQuAD and the teacher (a pretrained teacher is trained once, with progress, if it is not cached)...");
            var (experiment, teacher, dev) = options.Build(parse, table, console, cancel.Token);
            console.MarkupLineInterpolated($"Teacher: {teacher.ParameterCount:N0} parameters. Store: {experiment.StoreConnectionString}");
            Directory.CreateDirectory(outDir); // only once the options, data and teacher are known good
            using var log = new StreamWriter(Path.Combine(outDir, "progress.log"), append: true);
            table.ProgressLog = log;
            var o = experiment.Options;
            int earlier = FinishedTrials(experiment.StoreConnectionString, parse.GetValue(options.Study)!);
            table.TrialBudget = experiment.TrialBudget is { } budget ? Math.Max(0, budget - earlier) : null;
            string trials = experiment.TrialBudget is { } b ? $"{b} trials" + (earlier > 0 ? $" ({earlier} finished before)" : "") : "Trials until the time budget";
            string length = o.MaxStepsPerTrial is { } steps ? $"{steps:N0} steps" : $"{o.Epochs} epochs";
            console.WriteLine($"{trials} of {length} x {o.BatchSize} windows of {o.MaxSequenceLength} tokens, dev F1 every {o.EvaluateEverySteps} steps; " +
                $"the first trial computes the teacher-logit cache if it is missing. Progress and ETA below and in {Path.Combine(outDir, "progress.log")}.");
            var result = console.Live(table.Table).Start(live =>
            {
                table.Attach(live);
                return experiment.RunAsync(cancel.Token).GetAwaiter().GetResult();
            });
            FrontTable.Write(console, result);
            foreach (var file in ReportWriter.Write(result, Path.Combine(outDir, "report"))) console.MarkupLineInterpolated($"wrote {file}");
            if (result.BestTradeOff is { OnnxPath: { } onnx } best) AnswerWithBest(console, best, onnx, Path.Combine(outDir, "best"), dev);
            return 0;
        }
        catch (OperationCanceledException)
        {
            console.MarkupLineInterpolated($"[yellow]Stopped. Finished trials are kept in the store; run the same command again to resume.[/]");
            return 130;
        }
    }

    /// <summary>Finished trials a resumed study already holds (they count against its trial budget).</summary>
    private static int FinishedTrials(string store, string study)
    {
        using var trials = Tuning.Storage.TrialStore.Open(store);
        if (trials.GetStudyAsync(study).GetAwaiter().GetResult() is null) return 0;
        return trials.GetTrialsAsync(study).GetAwaiter().GetResult().Count(t => t.CountsAsResult);
    }

    /// <summary>Copies the best trade-off's ONNX model and vocabulary to <paramref name="directory"/> and answers a dev question with it.</summary>
    private static void AnswerWithBest(IAnsiConsole console, ExperimentTrial best, string onnx, string directory, IReadOnlyList<SquadExample> dev)
    {
        Directory.CreateDirectory(directory);
        string model = Path.Combine(directory, "student.onnx");
        File.Copy(onnx, model, overwrite: true);
        string vocab = Path.Combine(Path.GetDirectoryName(onnx)!, "vocab.txt");
        if (File.Exists(vocab)) File.Copy(vocab, Path.Combine(directory, "vocab.txt"), overwrite: true);
        // Decode as the sweep evaluated: "no answer" is a valid prediction only when the dev set has unanswerable questions.
        using var qa = new OnnxQuestionAnswerer(model, new OnnxQuestionAnswererOptions
        {
            PostProcessing = new DistillML.Text.Decoding.PostProcessingOptions { AllowNoAnswer = dev.Any(e => e.IsImpossible) },
        });
        var example = dev.FirstOrDefault(e => !e.IsImpossible) ?? dev[0];
        var answer = qa.Answer(example.Question, example.Context);
        console.MarkupLineInterpolated($"Best trade-off: trial {best.Number} ({best.Settings.Shape}, F1 {best.F1:F2}, {best.Parameters:N0} parameters) -> {model} ({qa.ExecutionProvider})");
        console.MarkupLineInterpolated($"Q: {example.Question}");
        console.MarkupLineInterpolated($"A: \"{answer.Text}\" (score {answer.Score:F2}); gold: \"{string.Join(" | ", example.Answers.Select(a => a.Text).Distinct())}\"");
    }
}
