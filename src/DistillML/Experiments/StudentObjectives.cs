namespace DistillML.Experiments;

/// <summary>The built-in objectives of a distillation sweep; combine them with <c>|</c>.</summary>
[Flags]
public enum StudentObjectives
{
    /// <summary>Maximise the student's dev F1 (black-box: known only after training).</summary>
    F1 = 1,

    /// <summary>Minimise the student's parameter count (known: computed from the proposed shape).</summary>
    Parameters = 2,

    /// <summary>
    /// Minimise ONNX Runtime latency per window, measured on an untrained model of the same shape, so it is known before
    /// training (see <see cref="OnnxLatencyModel"/>).
    /// </summary>
    Latency = 4,

    /// <summary>F1 and parameters: the paper's two objectives (the default).</summary>
    Default = F1 | Parameters,
}

/// <summary>Metric names of a distillation trial, as stored and as objectives and constraints name them.</summary>
public static class StudentMetrics
{
    /// <summary>Dev F1 (0-100) of the kept student.</summary>
    public const string F1 = "f1";

    /// <summary>Dev exact match (0-100) of the kept student.</summary>
    public const string ExactMatch = "exact";

    /// <summary>The student's parameter count.</summary>
    public const string Parameters = "parameters";

    /// <summary>ONNX Runtime milliseconds per window of the student's shape (predicted for the tuner, measured for the trial).</summary>
    public const string LatencyMs = "latency_ms";

    /// <summary>Size in MB (10^6 bytes) of the student's int8 ONNX file (dynamic quantisation, the default int8 recipe).</summary>
    public const string Int8Megabytes = "int8_mb";

    /// <summary>Training wall time in seconds (teacher logits, evaluations and export included).</summary>
    public const string TrainSeconds = "train_seconds";

    /// <summary>1 when the teacher's logits came from the cache file.</summary>
    public const string TeacherCacheHit = "teacher_cache_hit";
}
