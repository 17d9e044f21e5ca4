using System.Globalization;
using DistillML.Experiments;
using Spectre.Console;
using DistillML.Tuning.Trials;

namespace DistillML.Cli.Sweeps;

/// <summary>A Spectre table of the sweep's trials, one row per trial, refreshed as trials start, report and end.</summary>
internal sealed class LiveTrialTable : IMonitor
{
    private readonly Dictionary<int, int> rows = [];
    private LiveDisplayContext? context;

    public Table Table { get; } = new Table().Title("trials").AddColumns("trial", "shape", "lr", "state", "step", "F1", "params", "wall s");

    public void Attach(LiveDisplayContext live) => context = live;

    public void ReportRunningTrial(ExperimentTrial trial) => Set(trial, "running", "", "");

    public void ReportIntermediate(ExperimentTrial trial, int step, double f1) => Set(trial, "running", step.ToString(CultureInfo.InvariantCulture), F(f1));

    public void ReportCompletedTrial(ExperimentTrial trial) =>
        Set(trial, trial.State == Tuning.Trials.TrialState.Pruned ? "[yellow]pruned[/]" : "[green]completed[/]", null, F(trial.F1));

    public void ReportFailTrial(ExperimentTrial trial, Exception exception) =>
        Set(trial, $"[red]failed[/] {Markup.Escape(exception.Message.Split('\n')[0][..Math.Min(60, exception.Message.Split('\n')[0].Length)])}", null, "");

    private void Set(ExperimentTrial t, string state, string? step, string f1)
    {
        lock (rows)
        {
            if (!rows.TryGetValue(t.Number, out int row))
            {
                Table.AddRow(t.Number.ToString(CultureInfo.InvariantCulture), t.Settings.Shape, t.Settings.LearningRate.ToString("G3", CultureInfo.InvariantCulture),
                    "", "", "", t.Parameters?.ToString("N0", CultureInfo.InvariantCulture) ?? "", "");
                rows[t.Number] = row = Table.Rows.Count - 1;
            }
            Table.UpdateCell(row, 3, state);
            if (step is not null) Table.UpdateCell(row, 4, step);
            Table.UpdateCell(row, 5, f1);
            if (t.WallTime is { } wall) Table.UpdateCell(row, 7, wall.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture));
            context?.Refresh();
        }
    }

    private static string F(double? v) => v?.ToString("F2", CultureInfo.InvariantCulture) ?? "";
}
