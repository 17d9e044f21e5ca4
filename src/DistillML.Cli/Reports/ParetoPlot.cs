using DistillML.Experiments;
using DistillML.Tuning.Storage;
using ScottPlot;
using DistillML.Tuning.Trials;

namespace DistillML.Cli.Reports;

/// <summary>
/// The Pareto-front plot: dev F1 against parameters (millions), every completed trial, the front as the staircase that
/// bounds what it attains, the teacher and the baseline; with a compared study (the --tuner random run), its front too.
/// </summary>
internal static class ParetoPlot
{
    public static byte[] Png(ExperimentResult result, ExperimentResult? comparedWith = null, int width = 900, int height = 600)
    {
        var plot = new Plot();
        var completed = result.Trials.Where(t => t.State == TrialState.Completed && t.F1 is not null && t.Parameters is not null).ToList();
        if (completed.Count > 0)
        {
            var all = plot.Add.ScatterPoints(completed.Select(Millions).ToArray(), completed.Select(t => t.F1!.Value).ToArray());
            all.LegendText = "trials";
            all.Color = Colors.Gray;
        }
        if (comparedWith is not null) AddFront(plot, comparedWith, $"{comparedWith.StudyName} front", Colors.Green, LinePattern.Dashed);
        AddFront(plot, result, comparedWith is null ? "Pareto front" : $"{result.StudyName} front", Colors.Blue, LinePattern.Solid);
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

    private static void AddFront(Plot plot, ExperimentResult result, string label, Color color, LinePattern pattern)
    {
        var front = result.ParetoFront.Where(t => t.F1 is not null && t.Parameters is not null).Select(t => (Millions(t), t.F1!.Value)).ToList();
        if (front.Count == 0) return;
        var steps = Staircase(front);
        var line = plot.Add.Scatter(steps.Select(p => p.X).ToArray(), steps.Select(p => p.Y).ToArray());
        line.Color = color;
        line.LinePattern = pattern;
        line.MarkerSize = 0;
        var points = plot.Add.ScatterPoints(front.Select(p => p.Item1).ToArray(), front.Select(p => p.Item2).ToArray());
        points.Color = color;
        points.MarkerSize = 9;
        points.LegendText = label;
    }

    /// <summary>
    /// The corners of the boundary of what a front attains (F1 up, size down): from each member right at its F1 to
    /// the next larger member's size, then up to that member. A straight line between members would draw students
    /// that no trial found.
    /// </summary>
    internal static List<(double X, double Y)> Staircase(IEnumerable<(double X, double Y)> front)
    {
        var sorted = front.OrderBy(p => p.X).ThenBy(p => p.Y).ToList();
        var corners = new List<(double X, double Y)>();
        for (int i = 0; i < sorted.Count; i++)
        {
            if (i > 0) corners.Add((sorted[i].X, sorted[i - 1].Y));
            corners.Add(sorted[i]);
        }
        return corners;
    }

    private static double Millions(ExperimentTrial t) => t.Parameters!.Value / 1e6;
}
