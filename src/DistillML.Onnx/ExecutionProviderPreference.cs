namespace DistillML.Onnx;

/// <summary>Which ONNX Runtime execution provider <see cref="OnnxQuestionAnswerer"/> runs the model on.</summary>
public enum ExecutionProviderPreference
{
    /// <summary>CUDA when the ONNX Runtime build has it and a GPU is visible, else CPU. The default.</summary>
    Auto,
    /// <summary>The CPU provider.</summary>
    Cpu,
    /// <summary>CUDA; construction fails when it cannot be used.</summary>
    Cuda,
}
