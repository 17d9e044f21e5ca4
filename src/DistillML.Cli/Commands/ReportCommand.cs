using System.CommandLine;
using DistillML.Cli.Reports;
using DistillML.Cli.Sweeps;
using DistillML.Experiments;
using DistillML.Tuning.Storage;
using Spectre.Console;

namespace DistillML.Cli.Commands;

/// <summary><c>distillml report</c>: trials.csv, pareto.json, pareto.png and report.html of a stored study.</summary>
internal static class ReportCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var store = new Option<string>("--store") { Description = "Trial store: \"Data Source=FILE\" or \"Host=...;Database=...\".", Required = true };
        var study = new Option<string>("--study") { Description = "Study name.", DefaultValueFactory = _ => "demo" };
        var output = new Option<DirectoryInfo>("--out") { Description = "Report directory.", DefaultValueFactory = _ => new DirectoryInfo("report") };
        var compare = new Option<string?>("--compare") { Description = "Another study of the same store (e.g. the --tuner random run): its hypervolume after each trial beside this one's (hypervolume.csv, report.html)." };
        var command = new Command("report", "Write a study's trials.csv, pareto.json, Pareto-front plot (PNG) and a self-contained HTML report.") { store, study, output, compare };
        command.SetAction(parse =>
        {
            using var trialStore = TrialStore.OpenExistingAsync(parse.GetValue(store)!).GetAwaiter().GetResult();
            var result = ExperimentResult.LoadAsync(trialStore, parse.GetValue(study)!).GetAwaiter().GetResult();
            FrontTable.Write(console, result);
            ExperimentResult? other = null;
            if (parse.GetValue(compare) is { } otherStudy)
            {
                other = ExperimentResult.LoadAsync(trialStore, otherStudy).GetAwaiter().GetResult();
                HypervolumeTable.Write(console, result, other);
            }
            foreach (var file in ReportWriter.Write(result, parse.GetValue(output)!.FullName, other)) console.MarkupLineInterpolated($"wrote {file}");
            return 0;
        });
        return command;
    }
}
