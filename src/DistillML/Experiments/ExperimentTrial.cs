using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Storage;
using DistillML.Tuning.Trials;

namespace DistillML.Experiments;

/// <summary>One trial of a distillation sweep, as stored: its student, how it ended and what it measured.</summary>
/// <param name="Number">The trial number (the tuner's trial id).</param>
/// <param name="State">Pending, running, completed, pruned or failed.</param>
/// <param name="Parameter">The proposed point of the search space.</param>
/// <param name="Settings">What the point means: the student's shape and distillation settings.</param>
/// <param name="F1">Dev F1 of the kept student (the last intermediate value for a pruned trial).</param>
/// <param name="ExactMatch">Dev exact match of the kept student.</param>
/// <param name="Parameters">The student's parameter count.</param>
/// <param name="LatencyMs">ONNX Runtime milliseconds per window of the student's shape, when measured.</param>
/// <param name="OnnxPath">The finished student's ONNX model.</param>
/// <param name="CheckpointPath">The finished student's checkpoint directory.</param>
/// <param name="WallTime">The trial's wall time.</param>
/// <param name="Error">Why it failed.</param>
/// <param name="IntermediateF1">(step, dev F1) as reported to the pruner.</param>
/// <param name="WorkerId">Who ran it.</param>
public sealed record ExperimentTrial(int Number, TrialState State, Parameter Parameter, StudentTrialSettings Settings, double? F1, double? ExactMatch,
    long? Parameters, double? LatencyMs, string? OnnxPath, string? CheckpointPath, TimeSpan? WallTime, string? Error,
    IReadOnlyList<KeyValuePair<int, double>> IntermediateF1, string? WorkerId)
{
    /// <summary>ONNX artifact name in the store.</summary>
    public const string OnnxArtifact = "onnx";

    /// <summary>int8 ONNX artifact name in the store.</summary>
    public const string OnnxInt8Artifact = "onnx_int8";

    /// <summary>Size in MB of the finished student's int8 ONNX file, when exported.</summary>
    public double? Int8Megabytes { get; init; }

    /// <summary>Checkpoint artifact name in the store.</summary>
    public const string CheckpointArtifact = "checkpoint";

    /// <summary>The trial as <paramref name="record"/> stores it.</summary>
    public static ExperimentTrial FromRecord(TrialRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        StudentTrialSettings settings;
        try
        {
            settings = StudentTrialSettings.From(record.Parameter);
        }
        catch (ArgumentException)
        {
            settings = new StudentTrialSettings(new StudentArchitecture(), double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        double? Metric(string name) => record.Metrics.TryGetValue(name, out var v) ? v : null;
        string? Artifact(string name) => record.Artifacts.TryGetValue(name, out var v) ? v : null;
        // A pruned trial's F1 is its last report; a failed or running one has no result, whatever it reported before.
        var f1 = Metric(StudentMetrics.F1)
            ?? (record.State == TrialState.Pruned && record.IntermediateValues.Count > 0 ? record.IntermediateValues[^1].Value : null);
        return new ExperimentTrial(record.Number, record.State, record.Parameter, settings, f1, Metric(StudentMetrics.ExactMatch),
            Metric(StudentMetrics.Parameters) is { } p ? (long)p : null, Metric(StudentMetrics.LatencyMs), Artifact(OnnxArtifact),
            Artifact(CheckpointArtifact), record.DurationInMilliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : null, record.Error,
            record.IntermediateValues, record.WorkerId)
        {
            Int8Megabytes = Metric(StudentMetrics.Int8Megabytes),
        };
    }

    /// <summary>A trial that was just claimed.</summary>
    internal static ExperimentTrial Running(TrialRecord record, StudentTrialSettings settings, long parameters) =>
        FromRecord(record) with { Settings = settings, Parameters = parameters, State = TrialState.Running };
}
