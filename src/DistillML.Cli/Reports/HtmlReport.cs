using System.Globalization;
using System.Net;
using System.Text;
using DistillML.Experiments;

namespace DistillML.Cli.Reports;

/// <summary>report.html: one self-contained page (plot embedded as base64) with the trial table, hypervolume over trials and the front's settings.</summary>
internal static class HtmlReport
{
    public static string Write(ExperimentResult result, byte[] png, ExperimentResult? comparedWith = null)
    {
        static string E(object? v) => WebUtility.HtmlEncode(Convert.ToString(v, CultureInfo.InvariantCulture) ?? "");
        static string F(double? v, string format = "F2") => v?.ToString(format, CultureInfo.InvariantCulture) ?? "";
        var front = result.ParetoFront.Select(t => t.Number).ToHashSet();
        var html = new StringBuilder();
        html.Append($"""
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>DistillML sweep {E(result.StudyName)}</title>
            <style>body{"{"}font-family:sans-serif;margin:2em{"}"} table{"{"}border-collapse:collapse{"}"} td,th{"{"}border:1px solid #ccc;padding:3px 8px;text-align:right{"}"}
            tr.front{"{"}background:#e8f0ff{"}"} code{"{"}font-size:90%{"}"}</style></head><body>
            <h1>Distillation sweep <code>{E(result.StudyName)}</code></h1>
            <p>Store: {E(result.StoreDescription)}. Objectives: {E(string.Join(", ", result.Objectives))}. {result.Trials.Count} trials,
            {result.ParetoFront.Count} on the Pareto front; best trade-off: trial {E(result.BestTradeOff?.Number)}.
            Teacher: {E(result.Teacher?.Parameters.ToString("N0", CultureInfo.InvariantCulture))} parameters, dev F1 {F(result.Teacher?.F1)}.</p>
            <img alt="Pareto front" src="data:image/png;base64,{Convert.ToBase64String(png)}">
            <h2>Hypervolume over trials</h2>
            <p>Normalised (F1 from 100 to 0, parameters from 0 to the teacher's, others from 0 to 1.1 x the worst seen).</p>
            <table><tr><th>finished trials</th>{string.Concat(Enumerable.Range(1, Math.Max(result.HypervolumeHistory.Count, comparedWith?.HypervolumeHistory.Count ?? 0)).Select(i => $"<td>{i}</td>"))}</tr>
            <tr><th>{E(result.StudyName)}</th>{string.Concat(result.HypervolumeHistory.Select(h => $"<td>{F(h, "F4")}</td>"))}</tr>
            {(comparedWith is null ? "" : $"<tr><th>{E(comparedWith.StudyName)}</th>{string.Concat(comparedWith.HypervolumeHistory.Select(h => $"<td>{F(h, "F4")}</td>"))}</tr>")}</table>
            <h2>Trials</h2>
            <table><tr><th>trial</th><th>state</th><th>shape</th><th>init</th><th>lr</th><th>T</th><th>&alpha;<sub>ce</sub></th><th>F1</th><th>EM</th><th>parameters</th><th>int8 MB</th><th>latency ms</th><th>wall s</th><th>error</th></tr>
            """);
        foreach (var t in result.Trials)
            html.Append($"<tr{(front.Contains(t.Number) ? " class=\"front\"" : "")}><td>{t.Number}{(t.Number == result.BaselineTrial ? " (baseline)" : "")}</td><td>{t.State}</td>" +
                $"<td>{E(t.Settings.Shape)}</td><td>{E(t.Settings.InitName)}</td><td>{F(t.Settings.LearningRate, "G3")}</td><td>{F(t.Settings.Temperature)}</td><td>{F(t.Settings.AlphaCe)}</td>" +
                $"<td>{F(t.F1)}</td><td>{F(t.ExactMatch)}</td><td>{E(t.Parameters?.ToString("N0", CultureInfo.InvariantCulture))}</td><td>{F(t.Int8Megabytes, "F1")}</td><td>{F(t.LatencyMs)}</td>" +
                $"<td>{F(t.WallTime?.TotalSeconds, "F1")}</td><td style=\"text-align:left\">{E(t.Error?.Split('\n')[0])}</td></tr>\n");
        html.Append("</table>\n<h2>Pareto front members</h2>\n");
        foreach (var t in result.ParetoFront)
        {
            html.Append($"<h3>Trial {t.Number}: {E(t.Settings.Shape)}, F1 {F(t.F1)}, {E(t.Parameters?.ToString("N0", CultureInfo.InvariantCulture))} parameters</h3>\n<p>ONNX: <code>{E(t.OnnxPath)}</code></p><table>");
            foreach (var (key, value) in t.Parameter) html.Append($"<tr><th>{E(key)}</th><td>{E(value)}</td></tr>");
            html.Append("</table>\n");
        }
        return html.Append("</body></html>\n").ToString();
    }
}
