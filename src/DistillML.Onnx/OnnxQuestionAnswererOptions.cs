using DistillML.Text.Decoding;

namespace DistillML.Onnx;

/// <summary>Settings of <see cref="OnnxQuestionAnswerer"/>.</summary>
public sealed class OnnxQuestionAnswererOptions
{
    /// <summary>The model's <c>vocab.txt</c>; default <c>vocab.txt</c> beside the model file. Its hash must equal the model's metadata.</summary>
    public string? VocabPath { get; set; }

    /// <summary>Execution provider. Default <see cref="ExecutionProviderPreference.Auto"/>.</summary>
    public ExecutionProviderPreference ExecutionProvider { get; set; } = ExecutionProviderPreference.Auto;

    /// <summary>GPU ordinal for CUDA. Default 0.</summary>
    public int CudaDeviceId { get; set; }

    /// <summary>Threads ONNX Runtime uses inside one operator on CPU; 0 (the default) lets it choose.</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>Windows per model run. Default 16.</summary>
    public int BatchSize { get; set; } = 16;

    /// <summary>Span decoding; default Hugging Face's SQuAD 2.0 settings (20-best, 30 tokens, "no answer" allowed, threshold 0).</summary>
    public PostProcessingOptions? PostProcessing { get; set; }

    /// <summary>Receives one-line messages about what was chosen (execution provider, model, featurizer settings); null for silence.</summary>
    public Action<string>? Log { get; set; }
}
