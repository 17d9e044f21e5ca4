using Microsoft.ML.Data;

namespace DistillML.Onnx.MlNet;

/// <summary>One model window as an ML.NET row: the ONNX inputs, padded to the model's window length, and its index.</summary>
public sealed class QaWindowRow
{
    /// <summary>Index of the window in <see cref="QaWindows.Features"/>.</summary>
    public int WindowKey { get; set; }

    /// <summary>WordPiece ids (ONNX input <c>input_ids</c>).</summary>
    [ColumnName("input_ids")]
    public long[] InputIds { get; set; } = [];

    /// <summary>1 for real tokens, 0 for padding (ONNX input <c>attention_mask</c>).</summary>
    [ColumnName("attention_mask")]
    public long[] AttentionMask { get; set; } = [];

    /// <summary>Segment ids (ONNX input <c>token_type_ids</c>; BERT only).</summary>
    [ColumnName("token_type_ids")]
    public long[] TokenTypeIds { get; set; } = [];
}

/// <summary>A scored window read back from the pipeline's output.</summary>
public sealed class ScoredQaWindowRow
{
    /// <summary>Index of the window in <see cref="QaWindows.Features"/>.</summary>
    public int WindowKey { get; set; }

    /// <summary>Start logits (ONNX output <c>start_logits</c>).</summary>
    [ColumnName("start_logits")]
    public float[] StartLogits { get; set; } = [];

    /// <summary>End logits (ONNX output <c>end_logits</c>).</summary>
    [ColumnName("end_logits")]
    public float[] EndLogits { get; set; } = [];
}
