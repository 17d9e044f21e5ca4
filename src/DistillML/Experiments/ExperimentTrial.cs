using System.Diagnostics.CodeAnalysis;
using DistillML.Tuning.Storage;
using DistillML.Tuning.Trials;

namespace DistillML.Experiments;

/// <summary>
/// One trial of a distillation sweep: the stored <see cref="TrialRecord"/> itself, with typed accessors for what its
/// parameter and metrics mean for a student (as AutoML subclasses its trial result for fairness metrics). Everything is
/// read from the record: the state, the student settings from the parameter, F1 and the rest from the metrics and
/// artifacts, so a trial seen through the experiment and through the store is the same trial.
/// </summary>
public sealed record ExperimentTrial : TrialRecord
{
    /// <summary>ONNX artifact name in the store.</summary>
    public const string OnnxArtifact = "onnx";

    /// <summary>int8 ONNX artifact name in the store.</summary>
    public const string OnnxInt8Artifact = "onnx_int8";

    /// <summary>Checkpoint artifact name in the store.</summary>
    public const string CheckpointArtifact = "checkpoint";

    [SetsRequiredMembers]
    private ExperimentTrial(TrialRecord record, StudentTrialSettings settings)
        : base(record) => Settings = settings;

    /// <summary>What the parameter means: the student's shape and distillation settings (NaN settings when it is not a student's parameter).</summary>
    public StudentTrialSettings Settings { get; init; }

    /// <summary>Dev F1 of the kept student; for a pruned trial without a final F1, its last report.</summary>
    public double? F1 => Metric(StudentMetrics.F1)
        ?? (State == TrialState.Pruned && IntermediateValues.Count > 0 ? IntermediateValues[^1].Value : null);

    /// <summary>Dev exact match of the kept student.</summary>
    public double? ExactMatch => Metric(StudentMetrics.ExactMatch);

    /// <summary>The student's parameter count.</summary>
    public long? Parameters => Metric(StudentMetrics.Parameters) is { } p ? (long)p : null;

    /// <summary>ONNX Runtime milliseconds per window of the student's shape, when measured.</summary>
    public double? LatencyMs => Metric(StudentMetrics.LatencyMs);

    /// <summary>Size in MB of the finished student's int8 ONNX file, when exported.</summary>
    public double? Int8Megabytes => Metric(StudentMetrics.Int8Megabytes);

    /// <summary>The finished student's ONNX model.</summary>
    public string? OnnxPath => Artifacts.GetValueOrDefault(OnnxArtifact);

    /// <summary>The finished student's checkpoint directory.</summary>
    public string? CheckpointPath => Artifacts.GetValueOrDefault(CheckpointArtifact);

    /// <summary>The trial's wall time.</summary>
    public TimeSpan? WallTime => DurationInMilliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : null;

    /// <summary>(step, dev F1) as reported to the pruner.</summary>
    public IReadOnlyList<KeyValuePair<int, double>> IntermediateF1 => IntermediateValues;

    /// <summary>The student trial <paramref name="record"/> stores.</summary>
    public static ExperimentTrial FromRecord(TrialRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record is ExperimentTrial trial) return trial;
        StudentTrialSettings settings;
        try
        {
            settings = StudentTrialSettings.From(record.Parameter);
        }
        catch (ArgumentException)
        {
            settings = new StudentTrialSettings(new StudentArchitecture(), double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        return new ExperimentTrial(record, settings);
    }

    /// <summary>A trial that was just claimed: running, with its settings and parameter count known.</summary>
    internal static ExperimentTrial Running(TrialRecord record, StudentTrialSettings settings, long parameters) =>
        FromRecord(record) with
        {
            State = TrialState.Running,
            Settings = settings,
            Metrics = new Dictionary<string, double>(record.Metrics) { [StudentMetrics.Parameters] = parameters },
        };

    private double? Metric(string name) => Metrics.TryGetValue(name, out var v) ? v : null;
}
