namespace DistillML.Torch.OnnxExport;

/// <summary>How <see cref="OnnxExporter"/> stores the weights of an exported model.</summary>
public enum OnnxWeightFormat
{
    /// <summary>Every weight as float32; logits equal TorchSharp's to float rounding. The default.</summary>
    Float32,

    /// <summary>
    /// Every float weight stored as float16, each followed by a <c>Cast</c> to float32: the file is half the size and
    /// the computation stays float32 (ONNX Runtime folds the casts when it loads the model), so the only accuracy cost
    /// is the rounding of the weights to half precision.
    /// </summary>
    Float16,

    /// <summary>
    /// Dynamic int8 quantisation, as ONNX Runtime's <c>quantize_dynamic</c> writes it: the weights of every encoder
    /// linear layer are int8 with one symmetric scale per output channel, and each such layer becomes
    /// <c>DynamicQuantizeLinear</c> (activations to uint8 with a per-tensor scale computed at run time) +
    /// <c>MatMulInteger</c> + rescale + bias, so the matrix products run in integer arithmetic (ONNX Runtime fuses the
    /// pattern into its <c>DynamicQuantizeMatMul</c> kernel). The word embeddings are int8 with one scale per row
    /// (gathered, then rescaled) unless <see cref="OnnxExportOptions.QuantizeEmbeddings"/> is off. LayerNorms,
    /// biases, position/type embeddings and the 2-output QA head stay float32.
    /// </summary>
    Int8,
}
