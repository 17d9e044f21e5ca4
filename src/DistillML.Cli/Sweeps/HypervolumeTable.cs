using System.Globalization;
using DistillML.Experiments;
using Spectre.Console;

namespace DistillML.Cli.Sweeps;

/// <summary>Prints two studies' hypervolume after each finished trial, side by side, and which is ahead at the end.</summary>
internal static class HypervolumeTable
{
    public static void Write(IAnsiConsole console, ExperimentResult a, ExperimentResult b)
    {
        var table = new Table().Title("Hypervolume after each finished trial (F1 0-100, parameters 0 to the teacher's)")
            .AddColumns("finished trials", Markup.Escape(a.StudyName), Markup.Escape(b.StudyName));
        int rows = Math.Max(a.HypervolumeHistory.Count, b.HypervolumeHistory.Count);
        for (int i = 0; i < rows; i++) table.AddRow((i + 1).ToString(CultureInfo.InvariantCulture), Cell(a, i), Cell(b, i));
        console.Write(table);
        double finalA = a.HypervolumeHistory.LastOrDefault(), finalB = b.HypervolumeHistory.LastOrDefault();
        int common = Math.Min(a.HypervolumeHistory.Count, b.HypervolumeHistory.Count);
        string atCommon = common == 0 ? "" : $"; after {common} trials each: {a.HypervolumeHistory[common - 1]:F4} vs {b.HypervolumeHistory[common - 1]:F4}";
        console.MarkupLineInterpolated($"Final: {a.StudyName} {finalA:F4} ({a.HypervolumeHistory.Count} trials), {b.StudyName} {finalB:F4} ({b.HypervolumeHistory.Count} trials){atCommon}.");
    }

    private static string Cell(ExperimentResult r, int i) => i < r.HypervolumeHistory.Count ? r.HypervolumeHistory[i].ToString("F4", CultureInfo.InvariantCulture) : "";
}
