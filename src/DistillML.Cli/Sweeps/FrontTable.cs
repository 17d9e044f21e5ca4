using System.Globalization;
using DistillML.Experiments;
using Spectre.Console;

namespace DistillML.Cli.Sweeps;

/// <summary>Prints a sweep's Pareto front (and the teacher) as a table.</summary>
internal static class FrontTable
{
    public static void Write(IAnsiConsole console, ExperimentResult result)
    {
        var table = new Table().Title($"Pareto front of '{Markup.Escape(result.StudyName)}' ({result.ParetoFront.Count} of {result.Trials.Count} trials)")
            .AddColumns("trial", "shape", "init", "F1", "% teacher F1", "EM", "params", "% teacher params", "int8 MB", "latency ms", "wall s", "");
        long? teacherParams = result.Teacher?.Parameters;
        foreach (var t in result.ParetoFront)
            table.AddRow(t.Number.ToString(CultureInfo.InvariantCulture), t.Settings.Shape, t.Settings.InitName, F(t.F1), result.Teacher?.F1 is { } tf && t.F1 is { } f ? F(100 * f / tf, "F1") : "", F(t.ExactMatch),
                t.Parameters?.ToString("N0", CultureInfo.InvariantCulture) ?? "", teacherParams is { } tp && t.Parameters is { } p ? F(100.0 * p / tp, "F1") : "",
                F(t.Int8Megabytes, "F1"), F(t.LatencyMs), F(t.WallTime?.TotalSeconds, "F1"),
                (t == result.BestTradeOff ? "best trade-off " : "") + (t.Number == result.BaselineTrial ? "baseline" : ""));
        if (result.Teacher is { } teacher)
            table.AddRow("teacher", "", "", F(teacher.F1), "100.0", F(teacher.ExactMatch), teacher.Parameters.ToString("N0", CultureInfo.InvariantCulture), "100.0", "", "", "", "");
        console.Write(table);
        if (result.Teacher?.F1 is { } teacherF1)
        {
            var within = result.SmallestWithin(0.95);
            if (within is null) console.MarkupLineInterpolated($"No front member is within 95% of the teacher's F1 ({0.95 * teacherF1:F2}).");
            else console.MarkupLineInterpolated($"Smallest within 95% of the teacher's F1: trial {within.Number} ({within.Settings.Shape}, F1 {within.F1:F2} = {within.F1 / teacherF1:P1} of the teacher's, {(double)within.Parameters!.Value / result.Teacher.Parameters:P1} of its parameters).");
        }
        var states = string.Join(", ", result.Trials.GroupBy(t => t.State).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}"));
        console.MarkupLineInterpolated($"Trials: {states}. Hypervolume: {result.HypervolumeHistory.LastOrDefault():F4}. Store: {result.StoreDescription}.");
    }

    private static string F(double? v, string format = "F2") => v?.ToString(format, CultureInfo.InvariantCulture) ?? "";
}
