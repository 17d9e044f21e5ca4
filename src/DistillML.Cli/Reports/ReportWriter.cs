using DistillML.Experiments;

namespace DistillML.Cli.Reports;

/// <summary>Writes a sweep's report: trials.csv, pareto.json, pareto.png and the self-contained report.html.</summary>
internal static class ReportWriter
{
    public static IReadOnlyList<string> Write(ExperimentResult result, string directory)
    {
        Directory.CreateDirectory(directory);
        string csv = Path.Combine(directory, "trials.csv"), json = Path.Combine(directory, "pareto.json");
        string png = Path.Combine(directory, "pareto.png"), html = Path.Combine(directory, "report.html");
        File.WriteAllText(csv, TrialsCsv.Write(result));
        File.WriteAllText(json, ParetoJson.Write(result));
        var image = ParetoPlot.Png(result);
        File.WriteAllBytes(png, image);
        File.WriteAllText(html, HtmlReport.Write(result, image));
        return [csv, json, png, html];
    }
}
