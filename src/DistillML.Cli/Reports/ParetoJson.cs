using System.Text.Json;
using DistillML.Experiments;

namespace DistillML.Cli.Reports;

/// <summary>pareto.json: the study, teacher, hypervolume and every front member with its metrics, paths and settings.</summary>
internal static class ParetoJson
{
    public static string Write(ExperimentResult result) => JsonSerializer.Serialize(new
    {
        study = result.StudyName,
        store = result.StoreDescription,
        objectives = result.Objectives.Select(o => new { name = o.Name, direction = o.Direction.ToString() }),
        teacher = result.Teacher,
        baselineTrial = result.BaselineTrial,
        trials = result.Trials.Count,
        hypervolume = result.HypervolumeHistory.LastOrDefault(),
        bestTradeOff = result.BestTradeOff?.Number,
        front = result.ParetoFront.Select(t => new
        {
            trial = t.Number, f1 = t.F1, exact = t.ExactMatch, parameters = t.Parameters, int8Megabytes = t.Int8Megabytes, init = t.Settings.InitName, latencyMs = t.LatencyMs, onnx = t.OnnxPath,
            checkpoint = t.CheckpointPath, wallSeconds = t.WallTime?.TotalSeconds, shape = t.Settings.Shape,
            settings = t.Parameter.ToDictionary(kv => kv.Key, kv => kv.Value),
        }),
    }, new JsonSerializerOptions { WriteIndented = true });
}
