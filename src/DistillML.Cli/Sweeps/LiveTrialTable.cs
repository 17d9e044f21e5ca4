using System.Diagnostics;
using System.Globalization;
using DistillML.Experiments;
using DistillML.Torch.Training;
using Spectre.Console;
using DistillML.Tuning.Trials;

namespace DistillML.Cli.Sweeps;

/// <summary>
/// A Spectre table of the sweep's trials, one row per trial, refreshed as trials start, report and end; its caption
/// shows the running trial's phase (teacher-logit cache, distillation steps), speed and ETA, and the sweep's ETA from
/// the mean wall time of the trials finished so far. With a log, the same events go to it as plain timestamped lines,
/// for sweeps watched from elsewhere or run without a terminal.
/// </summary>
internal sealed class LiveTrialTable : IMonitor
{
    private readonly Dictionary<int, int> rows = [];
    private readonly List<double> finishedSeconds = [];
    private readonly Stopwatch sinceCaption = Stopwatch.StartNew();
    private LiveDisplayContext? context;
    private int lastLoggedStep = -1;

    public Table Table { get; } = new Table().Title("trials").AddColumns("trial", "shape", "lr", "state", "step", "F1", "params", "wall s");

    /// <summary>Where the events also go as plain timestamped lines; null for none.</summary>
    public TextWriter? ProgressLog { get; set; }

    /// <summary>Trials the study may run in all (for the sweep's ETA); null leaves the ETA out.</summary>
    public int? TrialBudget { get; set; }

    public void Attach(LiveDisplayContext live) => context = live;

    public void ReportRunningTrial(ExperimentTrial trial)
    {
        Set(trial, "running", "", "");
        Log($"{trial.StudyName} trial {trial.Number} started: {trial.Settings.Shape}, init {trial.Settings.Initialization?.ToString() ?? "default"}, lr {trial.Settings.LearningRate:G3}, {trial.Parameters:N0} parameters");
    }

    public void ReportIntermediate(ExperimentTrial trial, int step, double f1)
    {
        Set(trial, "running", step.ToString(CultureInfo.InvariantCulture), F(f1));
        Log($"{trial.StudyName} trial {trial.Number} step {step}: dev F1 {F(f1)}");
    }

    public void ReportCompletedTrial(ExperimentTrial trial)
    {
        bool pruned = trial.State == Tuning.Trials.TrialState.Pruned;
        Finished(trial);
        Set(trial, pruned ? "[yellow]pruned[/]" : "[green]completed[/]", null, F(trial.F1));
        Log($"{trial.StudyName} trial {trial.Number} {(pruned ? "pruned" : "completed")}: F1 {F(trial.F1)}, {trial.WallTime?.TotalSeconds:F0} s");
    }

    public void ReportFailTrial(ExperimentTrial trial, Exception exception)
    {
        string first = exception.Message.Split('\n')[0];
        Finished(trial);
        Set(trial, $"[red]failed[/] {Markup.Escape(first[..Math.Min(60, first.Length)])}", null, "");
        Log($"{trial.StudyName} trial {trial.Number} failed: {first}");
    }

    public void ReportProgress(ExperimentTrial trial, TrainingProgress p)
    {
        if (p.Phase == "evaluate") return; // evaluations arrive through ReportIntermediate
        bool last = p.Step == p.TotalSteps;
        int every = p.Phase == "distill" ? 100 : Math.Max(1, p.TotalSteps / 10);
        if (last || p.Step / every != lastLoggedStep / every || p.Step < lastLoggedStep)
        {
            Log($"{trial.StudyName} trial {trial.Number} {p.Phase} {p.Step}/{p.TotalSteps}{(double.IsFinite(p.Loss) ? $" loss {p.Loss:F3}" : "")} {p.ExamplesPerSecond:F1} windows/s eta {p.Eta:hh\\:mm\\:ss}");
            lastLoggedStep = p.Step;
        }
        lock (rows)
        {
            if (!last && sinceCaption.ElapsedMilliseconds < 500) return; // the display needs no more than two refreshes a second
            sinceCaption.Restart();
            Table.Caption = new TableTitle(Caption(trial, p));
            context?.Refresh();
        }
    }

    private string Caption(ExperimentTrial trial, TrainingProgress p)
    {
        string text = $"trial {trial.Number}: {p.Phase} {p.Step:N0}/{p.TotalSteps:N0}, {p.ExamplesPerSecond:F1} windows/s, ETA {p.Eta:hh\\:mm\\:ss}";
        if (TrialBudget is not { } budget || finishedSeconds.Count == 0) return text;
        int after = Math.Max(0, budget - finishedSeconds.Count - 1); // trials still to start after this one
        double mean = finishedSeconds.Average();
        var left = p.Eta + TimeSpan.FromSeconds(after * mean);
        return text + $"; sweep: {finishedSeconds.Count} of {budget} trials finished, about {left:hh\\:mm\\:ss} left ({after} more at the mean {TimeSpan.FromSeconds(mean):mm\\:ss} so far)";
    }

    private void Finished(ExperimentTrial trial)
    {
        lock (rows)
        {
            if (trial.WallTime is { } wall) finishedSeconds.Add(wall.TotalSeconds);
            lastLoggedStep = -1;
        }
    }

    private void Log(string line)
    {
        if (ProgressLog is not { } log) return;
        lock (log)
        {
            log.WriteLine($"{DateTime.UtcNow:O} {line}");
            log.Flush();
        }
    }

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
