using DistillML.Text.Deployment;

namespace DistillML.Torch.OnnxExport;

/// <summary>What <see cref="OnnxExporter.ExportOnnx"/> wrote.</summary>
/// <param name="Path">The model file.</param>
/// <param name="FileBytes">Its size in bytes.</param>
/// <param name="Metadata">The DistillML metadata written into it.</param>
/// <param name="VocabularyPath">The <c>vocab.txt</c> beside it, when copied; otherwise null.</param>
public sealed record OnnxExportResult(string Path, long FileBytes, QaModelMetadata Metadata, string? VocabularyPath);
