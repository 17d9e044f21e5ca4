using DistillML.Text.Features;

namespace DistillML.Torch.OnnxExport;

/// <summary>Settings of <see cref="OnnxExporter.ExportOnnx"/>.</summary>
public sealed class OnnxExportOptions
{
    /// <summary>How weights are stored (float32, float16, int8). Default <see cref="OnnxWeightFormat.Float32"/>.</summary>
    public OnnxWeightFormat WeightFormat { get; set; } = OnnxWeightFormat.Float32;

    /// <summary>
    /// The window settings the model was trained with, written into the metadata so that the runtime featurizes
    /// exactly as training did (<see cref="FeaturizerOptions.VocabPath"/> is ignored; see <see cref="VocabularyPath"/>).
    /// Default: the standard recipe (384 / 128 / 64, lower case).
    /// </summary>
    public FeaturizerOptions Featurizer { get; set; } = new();

    /// <summary>The model's <c>vocab.txt</c>; when null, <see cref="Modeling.BertQaModel.VocabularyPath"/>. One of them is required (its hash goes into the metadata).</summary>
    public string? VocabularyPath { get; set; }

    /// <summary>
    /// Copy the vocabulary to <c>vocab.txt</c> beside the exported model, where the runtime looks by default.
    /// An existing different <c>vocab.txt</c> there is an error. Default true.
    /// </summary>
    public bool CopyVocabulary { get; set; } = true;

    /// <summary>With <see cref="OnnxWeightFormat.Int8"/>: also store the word embeddings as int8 (one scale per row). Default true.</summary>
    public bool QuantizeEmbeddings { get; set; } = true;

    /// <summary>
    /// With <see cref="OnnxWeightFormat.Int8"/>: linear layers kept float32, by Hugging Face module name
    /// (<c>bert.encoder.layer.0.output.dense</c>; <see cref="OnnxExporter.QuantizableLayers"/> lists them), for layers
    /// whose quantisation costs more accuracy than their size is worth. Empty by default: every encoder layer is int8.
    /// </summary>
    /// <exception cref="ArgumentException">At export, a name that is not a quantizable layer of the model.</exception>
    public ISet<string> Float32Layers { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// With <see cref="OnnxWeightFormat.Int8"/>: quantise weights to 7 bits ([-63, 63]) instead of 8, as ONNX Runtime's
    /// <c>reduce_range</c>, which avoids 16-bit overflow in the u8×s8 kernels of CPUs without VNNI (AVX2 only).
    /// Default false.
    /// </summary>
    public bool ReduceRange { get; set; }

    /// <summary>
    /// Write ONNX Runtime's fused transformer operators (com.microsoft domain: <c>EmbedLayerNormalization</c>,
    /// <c>Attention</c>, <c>SkipLayerNormalization</c>, <c>BiasGelu</c>; with <see cref="OnnxWeightFormat.Int8"/>
    /// <c>QAttention</c> and <c>DynamicQuantizeMatMul</c>), the graph <c>onnxruntime.transformers.optimizer</c> produces,
    /// instead of the portable opset-17 graph. Same outputs to float rounding, faster in ONNX Runtime, but only ONNX
    /// Runtime runs it (<c>onnx.checker</c> accepts it; other runtimes lack the ops). With int8, q/k/v of a layer are one
    /// matrix: <see cref="Float32Layers"/> must list all three or none. Default false (portable).
    /// </summary>
    public bool OrtFusedOperators { get; set; }

    /// <summary>ONNX <c>model_version</c>. Default 1.</summary>
    public long ModelVersion { get; set; } = 1;

    /// <summary>ONNX <c>doc_string</c> of the model; a default description when null.</summary>
    public string? Description { get; set; }

    /// <summary>Extra metadata properties, written after DistillML's own (which they may not replace).</summary>
    public IDictionary<string, string> ExtraMetadata { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
