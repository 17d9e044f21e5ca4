using DistillML.Experiments;
using DistillML.Tuning.Storage;
using ScottPlot;
using DistillML.Tuning.Trials;

namespace DistillML.Cli.Reports;

/// <summary>The Pareto-front plot: dev F1 against parameters (millions), every completed trial, the front, the teacher and the baseline.</summary>
internal static class ParetoPlot
{
    public static byte[] Png(ExperimentResult result, int width = 900, int height = 600)
    {
        var plot = new Plot();
        var completed = result.Trials.Where(t => t.State == TrialState.Completed && t.F1 is not null && t.Parameters is not null).ToList();
        var front = result.ParetoFront.Where(t => t.F1 is not null && t.Parameters is not null).OrderBy(t => t.Parameters).ToList();
        if (completed.Count > 0)
        {
            var all = plot.Add.ScatterPoints(completed.Select(Millions).ToArray(), completed.Select(t => t.F1!.Value).ToArray());
            all.LegendText = "trials";
            all.Color = Colors.Gray;
        }
        if (front.Count > 0)
        {
            var line = plot.Add.Scatter(front.Select(Millions).ToArray(), front.Select(t => t.F1!.Value).ToArray());
            line.LegendText = "Pareto front";
            line.Color = Colors.Blue;
            line.MarkerSize = 9;
        }
        if (result.BaselineTrial is { } b && completed.FirstOrDefault(t => t.Number == b) is { } baseline)
        {
            var marker = plot.Add.Marker(Millions(baseline), baseline.F1!.Value, MarkerShape.FilledDiamond, 14, Colors.Orange);
            marker.LegendText = $"baseline (trial {b})";
        }
        if (result.Teacher is { F1: { } teacherF1 } teacher)
        {
            var marker = plot.Add.Marker(teacher.Parameters / 1e6, teacherF1, MarkerShape.FilledTriangleUp, 14, Colors.Red);
            marker.LegendText = "teacher";
        }
        plot.Title($"{result.StudyName}: dev F1 vs parameters ({completed.Count} completed of {result.Trials.Count} trials)");
        plot.XLabel("parameters (millions)");
        plot.YLabel("dev F1");
        plot.ShowLegend(Alignment.LowerRight);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    private static double Millions(ExperimentTrial t) => t.Parameters!.Value / 1e6;
}
