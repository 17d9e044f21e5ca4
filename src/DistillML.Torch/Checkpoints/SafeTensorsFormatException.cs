namespace DistillML.Torch.Checkpoints;

/// <summary>
/// A safetensors file is malformed: the message names the file, the tensor (when one is at fault) and the problem.
/// </summary>
public sealed class SafeTensorsFormatException : IOException
{
    /// <summary>Creates the exception; the message is prefixed with the file and, when given, the tensor.</summary>
    /// <param name="filePath">The file being read.</param>
    /// <param name="tensorName">The tensor at fault, or null when the problem is in the file as a whole.</param>
    /// <param name="problem">What is wrong, as a sentence.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public SafeTensorsFormatException(string filePath, string? tensorName, string problem, Exception? inner = null)
        : base(Compose(filePath, tensorName, problem), inner)
    {
        FilePath = filePath;
        TensorName = tensorName;
    }

    /// <summary>The file being read.</summary>
    public string FilePath { get; }

    /// <summary>The tensor at fault, or null when the problem is in the file as a whole.</summary>
    public string? TensorName { get; }

    static string Compose(string filePath, string? tensorName, string problem) =>
        tensorName is null
            ? $"Safetensors file '{filePath}': {problem}"
            : $"Safetensors file '{filePath}', tensor '{tensorName}': {problem}";
}
