using System.CommandLine;
using DistillML.Torch.Teachers;
using Spectre.Console;

namespace DistillML.Cli.Commands;

/// <summary><c>distillml teacher</c>: trains the demo teacher (MLM then QA), or reuses one already trained with the same recipe.</summary>
internal static class TeacherCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var data = new Option<DirectoryInfo>("--data-dir") { Description = "Directory with train-v1.1.json, dev-v1.1.json (and dev-v2.0 files for --squad2).", Required = true };
        var vocab = new Option<FileInfo>("--vocab") { Description = "BERT vocab.txt (bert-base-uncased).", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Run directory: the teacher goes to OUT/model, measurements to OUT/report.json.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("runs", "teacher")) };
        var squad2 = new Option<bool>("--squad2") { Description = "Train with unanswerable questions (SQuAD 2.0 variant)." };
        var mlmSteps = new Option<int?>("--mlm-steps") { Description = "MLM pretraining steps (0 skips pretraining)." };
        var qaSteps = new Option<int?>("--qa-steps") { Description = "QA fine-tuning steps." };
        var force = new Option<bool>("--force") { Description = "Train even if OUT holds a teacher trained with the same recipe." };
        var command = new Command("teacher", "Train the demo teacher: masked-LM self-pretraining on the SQuAD contexts, then SQuAD fine-tuning.")
        {
            data, vocab, output, squad2, mlmSteps, qaSteps, force,
        };
        command.SetAction(parse =>
        {
            var defaults = new DemoTeacherOptions();
            var options = defaults with
            {
                Squad2 = parse.GetValue(squad2),
                MlmSteps = parse.GetValue(mlmSteps) ?? defaults.MlmSteps,
                QaSteps = parse.GetValue(qaSteps) ?? defaults.QaSteps,
            };
            string outDir = parse.GetValue(output)!.FullName;
            using var cancel = new CancelOnCtrlC();
            try
            {
                if (!parse.GetValue(force) && File.Exists(Path.Combine(outDir, DemoTeacher.ReportFile)))
                {
                    using var cached = DemoTeacher.LoadOrTrain(parse.GetValue(data)!.FullName, parse.GetValue(vocab)!.FullName, outDir, options, null, cancel.Token);
                    console.MarkupLineInterpolated($"Teacher in [bold]{DemoTeacher.CheckpointOf(outDir)}[/]: {cached.ParameterCount:N0} parameters.");
                    return 0;
                }
                var report = ConsoleProgress.Run(console, progress =>
                    DemoTeacher.Train(parse.GetValue(data)!.FullName, parse.GetValue(vocab)!.FullName, outDir, options, progress, cancel.Token));
                var table = new Table().AddColumns("metric", "value");
                foreach (var (key, value) in report.Dev.ToOfficialDictionary()) table.AddRow(key, value.ToString("F2"));
                console.Write(table);
                console.MarkupLineInterpolated($"{report.Parameters:N0} parameters, {report.WallTime:hh\\:mm\\:ss}; teacher in [bold]{report.CheckpointDirectory}[/]");
                return 0;
            }
            catch (FileNotFoundException e)
            {
                console.MarkupLineInterpolated($"[red]{e.Message}[/]");
                return 2;
            }
            catch (OperationCanceledException)
            {
                console.MarkupLine("[yellow]Cancelled.[/]");
                return 130;
            }
        });
        return command;
    }
}
