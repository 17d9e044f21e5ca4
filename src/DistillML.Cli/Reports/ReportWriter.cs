using System.Globalization;
using System.Text;
using DistillML.Experiments;

namespace DistillML.Cli.Reports;

/// <summary>
/// Writes a sweep's report as one set: trials.csv, pareto.json, pareto.png, report.html and, when compared with
/// another study, hypervolume.csv. The files are written into a temporary folder beside the report directory, which
/// then replaces it, so a failure (a full disk) leaves the previous report whole instead of a mix of old and cut files.
/// </summary>
internal static class ReportWriter
{
    public static IReadOnlyList<string> Write(ExperimentResult result, string directory, ExperimentResult? comparedWith = null)
    {
        directory = Path.GetFullPath(directory);
        string parent = Path.GetDirectoryName(directory)!;
        Directory.CreateDirectory(parent);
        string staging = Path.Combine(parent, $".{Path.GetFileName(directory)}.tmp-{Environment.ProcessId}");
        string old = Path.Combine(parent, $".{Path.GetFileName(directory)}.old-{Environment.ProcessId}");
        var names = new List<string> { "trials.csv", "pareto.json", "pareto.png", "report.html" };
        try
        {
            Directory.CreateDirectory(staging);
            File.WriteAllText(Path.Combine(staging, "trials.csv"), TrialsCsv.Write(result));
            File.WriteAllText(Path.Combine(staging, "pareto.json"), ParetoJson.Write(result));
            var image = ParetoPlot.Png(result, comparedWith);
            File.WriteAllBytes(Path.Combine(staging, "pareto.png"), image);
            File.WriteAllText(Path.Combine(staging, "report.html"), HtmlReport.Write(result, image, comparedWith));
            if (comparedWith is not null)
            {
                File.WriteAllText(Path.Combine(staging, "hypervolume.csv"), HypervolumeCsv(result, comparedWith));
                names.Add("hypervolume.csv");
            }
            if (Directory.Exists(directory)) Directory.Move(directory, old);
            try
            {
                Directory.Move(staging, directory);
            }
            catch
            {
                if (Directory.Exists(old) && !Directory.Exists(directory)) Directory.Move(old, directory); // keep the previous report
                throw;
            }
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
        }
        return names.Select(n => Path.Combine(directory, n)).ToList();
    }

    /// <summary>Hypervolume after each finished trial of two studies, side by side (same normalisation: F1 0-100, parameters 0 to the teacher's).</summary>
    public static string HypervolumeCsv(ExperimentResult a, ExperimentResult b)
    {
        var text = new StringBuilder().AppendLine($"finished_trials,{a.StudyName},{b.StudyName}");
        int rows = Math.Max(a.HypervolumeHistory.Count, b.HypervolumeHistory.Count);
        for (int i = 0; i < rows; i++)
            text.AppendLine(string.Join(',', (i + 1).ToString(CultureInfo.InvariantCulture), Cell(a.HypervolumeHistory, i), Cell(b.HypervolumeHistory, i)));
        return text.ToString();
    }

    private static string Cell(IReadOnlyList<double> history, int i) => i < history.Count ? history[i].ToString("G6", CultureInfo.InvariantCulture) : "";
}
