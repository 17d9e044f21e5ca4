using System.Globalization;
using System.Text;
using System.Text.Json;
using DistillML.Experiments;

namespace DistillML.Cli.Reports;

/// <summary>trials.csv: one row per trial with its shape, settings, metrics, paths and error.</summary>
internal static class TrialsCsv
{
    private static readonly string[] Header =
    [
        "trial", "state", "layers", "hidden", "heads", "intermediate", "init", "learning_rate", "temperature", "alpha_ce", "f1", "exact", "parameters",
        "int8_mb", "latency_ms", "wall_seconds", "pareto", "onnx", "parameter_json", "error",
    ];

    public static string Write(ExperimentResult result)
    {
        var front = result.ParetoFront.Select(t => t.Number).ToHashSet();
        var text = new StringBuilder().AppendLine(string.Join(',', Header));
        foreach (var t in result.Trials)
        {
            var a = t.Settings.Architecture;
            string[] cells =
            [
                Num(t.Number), t.State.ToString(), Num(a.Layers), Num(a.Hidden), Num(a.Heads), Num(a.Intermediate), t.Settings.InitName, Num(t.Settings.LearningRate),
                Num(t.Settings.Temperature), Num(t.Settings.AlphaCe), Num(t.F1), Num(t.ExactMatch), Num(t.Parameters), Num(t.Int8Megabytes), Num(t.LatencyMs),
                Num(t.WallTime?.TotalSeconds), front.Contains(t.Number) ? "1" : "0", t.OnnxPath ?? "", ParameterJson(t), t.Error ?? "",
            ];
            text.AppendLine(string.Join(',', cells.Select(Quote)));
        }
        return text.ToString();
    }

    internal static string ParameterJson(ExperimentTrial t) => JsonSerializer.Serialize(t.Parameter.ToDictionary(kv => kv.Key, kv => kv.Value));

    private static string Num(double? v) => v is { } x ? x.ToString("G6", CultureInfo.InvariantCulture) : "";

    private static string Num(long? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) < 0 ? cell : "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
