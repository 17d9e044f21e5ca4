using DistillML.Torch.Distillation;
using DistillML.Torch.OnnxExport;
using DistillML.Torch.Training;

namespace DistillML.Experiments;

/// <summary>
/// How each trial of a <see cref="DistillationExperiment"/> trains, evaluates and is kept: windows, steps, batches,
/// evaluation cadence (the pruner's intermediate reports), where students and the teacher-logit cache go.
/// </summary>
public sealed class DistillationExperimentOptions
{
    /// <summary>Where trials' checkpoints and ONNX models, the teacher-logit cache and the default store go. Default "distillml-sweep".</summary>
    public string OutputDirectory { get; set; } = "distillml-sweep";
    /// <summary>Tokens per window. Default 384.</summary>
    public int MaxSequenceLength { get; set; } = 384;
    /// <summary>Overlap of consecutive windows. Default 128.</summary>
    public int DocStride { get; set; } = 128;
    /// <summary>Questions are cut to this many tokens. Default 64.</summary>
    public int MaxQueryLength { get; set; } = 64;
    /// <summary>Optimizer steps per trial; null trains <see cref="Epochs"/> passes.</summary>
    public int? MaxStepsPerTrial { get; set; }
    /// <summary>Passes over the training windows when <see cref="MaxStepsPerTrial"/> is null. Default 1 (<see cref="TrainingDefaults.SweepTrialEpochs"/>).</summary>
    public int Epochs { get; set; } = TrainingDefaults.SweepTrialEpochs;
    /// <summary>Training windows per step. Default 16.</summary>
    public int BatchSize { get; set; } = TrainingDefaults.BatchSize;
    /// <summary>Windows per batch for the teacher's logits, evaluation and latency. Default 64.</summary>
    public int InferenceBatchSize { get; set; } = 64;
    /// <summary>Evaluate dev F1 every this many steps (each evaluation is reported to the pruner); 0 only at the end. Default 0.</summary>
    public int EvaluateEverySteps { get; set; }
    /// <summary>How students start. Default <see cref="StudentInitialization.TeacherTruncated"/>.</summary>
    public StudentInitialization Initialization { get; set; } = StudentInitialization.TeacherTruncated;
    /// <summary>
    /// Seed of every trial's initialisation, shuffling and dropout (the tuner's seed too, unless a tuner is set). Default
    /// null: drawn from the <see cref="Microsoft.ML.MLContext"/> the experiment was created from (<c>new MLContext(seed: 1)</c>
    /// repeats a sweep; an unseeded context gives a fresh seed per experiment). Set it to fix the seed whatever the context.
    /// </summary>
    public int? Seed { get; set; }
    /// <summary>"cpu", "cuda", or null for the teacher's device.</summary>
    public string? Device { get; set; }
    /// <summary>Teacher-logit cache directory shared by every trial and worker; null uses OutputDirectory/teacher-logits.</summary>
    public string? TeacherCacheDirectory { get; set; }
    /// <summary>
    /// Read the teacher's logits from the shared cache (computed once, then memory-mapped by every trial and worker).
    /// False runs the teacher forward on every training batch instead, as a baseline for what the cache saves. Default true.
    /// </summary>
    public bool UseTeacherLogitCache { get; set; } = true;
    /// <summary>Weight format of each finished student's ONNX model. Default float32.</summary>
    public OnnxWeightFormat OnnxWeightFormat { get; set; } = OnnxWeightFormat.Float32;
    /// <summary>Also export each finished student as int8 ONNX (student-int8.onnx) and record its size (<see cref="StudentMetrics.Int8Megabytes"/>). Default true.</summary>
    public bool ExportInt8 { get; set; } = true;
    /// <summary>Save each finished student's checkpoint (Hugging Face layout) beside its ONNX model. Default true.</summary>
    public bool SaveCheckpoints { get; set; } = true;
    /// <summary>Make trial 0 of a new study the search space's default point, the baseline the report marks. Default true.</summary>
    public bool EnqueueBaseline { get; set; } = true;
    /// <summary>Evaluate the teacher on the dev set at the start (for the report's teacher point). Default true.</summary>
    public bool EvaluateTeacher { get; set; } = true;
    /// <summary>Predict "no answer" when the null score wins; null decides from the data (on when a question is unanswerable).</summary>
    public bool? AllowNoAnswer { get; set; }
    /// <summary>How often a running trial's heartbeat is refreshed. Default 5 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>A running trial whose heartbeat is older than this is reaped (its worker died) and retried. Default 1 min.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>This worker's id in the store; null for host:pid:random.</summary>
    public string? WorkerId { get; set; }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(OutputDirectory, nameof(OutputDirectory));
        if (MaxStepsPerTrial is < 1) throw new ArgumentOutOfRangeException(nameof(MaxStepsPerTrial), MaxStepsPerTrial, "must be >= 1");
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "must be >= 1");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "must be >= 1");
        if (InferenceBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(InferenceBatchSize), InferenceBatchSize, "must be >= 1");
        if (EvaluateEverySteps < 0) throw new ArgumentOutOfRangeException(nameof(EvaluateEverySteps), EvaluateEverySteps, "must be >= 0");
        if (StaleAfter <= HeartbeatInterval) throw new ArgumentOutOfRangeException(nameof(StaleAfter), StaleAfter, "must be longer than HeartbeatInterval");
    }
}
