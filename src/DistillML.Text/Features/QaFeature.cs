namespace DistillML.Text.Features;

/// <summary>
/// One model input window of a SQuAD example: <c>[CLS] question [SEP] context-slice [SEP] [PAD]...</c>, with its labels.
/// </summary>
/// <remarks>
/// The id arrays are <see cref="long"/> because that is what BERT embeddings take in TorchSharp and in exported ONNX
/// graphs (int64 inputs). They have <see cref="FeaturizerOptions.MaxSequenceLength"/> entries when padding is on,
/// otherwise <see cref="SequenceLength"/> entries. Context tokens are contiguous: positions
/// <see cref="ContextStart"/> to <see cref="ContextStart"/> + <see cref="ContextLength"/> - 1.
/// </remarks>
public sealed class QaFeature
{
    /// <summary>Creates a window; <see cref="BertFeaturizer"/> is the usual source.</summary>
    public QaFeature(
        string exampleId, int exampleIndex, int windowIndex,
        long[] inputIds, long[] tokenTypeIds, long[] attentionMask, CharSpan[] tokenOffsets,
        int sequenceLength, int contextStart, int contextLength, int contextTokenOffset,
        int startPosition, int endPosition)
    {
        ExampleId = exampleId;
        ExampleIndex = exampleIndex;
        WindowIndex = windowIndex;
        InputIds = inputIds;
        TokenTypeIds = tokenTypeIds;
        AttentionMask = attentionMask;
        TokenOffsets = tokenOffsets;
        SequenceLength = sequenceLength;
        ContextStart = contextStart;
        ContextLength = contextLength;
        ContextTokenOffset = contextTokenOffset;
        StartPosition = startPosition;
        EndPosition = endPosition;
    }

    /// <summary>The SQuAD question id of the example this window belongs to.</summary>
    public string ExampleId { get; }

    /// <summary>Index of the example in the sequence given to the featurizer (0 for single-example calls unless given).</summary>
    public int ExampleIndex { get; }

    /// <summary>Index of this window among its example's windows, from 0.</summary>
    public int WindowIndex { get; }

    /// <summary>WordPiece ids: [CLS] question [SEP] context [SEP], then [PAD] (id 0 in BERT vocabularies).</summary>
    public long[] InputIds { get; }

    /// <summary>Segment ids: 0 for [CLS], the question and its [SEP]; 1 for the context and the final [SEP]; 0 for padding.</summary>
    public long[] TokenTypeIds { get; }

    /// <summary>1 for real tokens, 0 for padding.</summary>
    public long[] AttentionMask { get; }

    /// <summary>For every position, the character span of the token in the example's context; <see cref="CharSpan.None"/> for non-context tokens.</summary>
    public CharSpan[] TokenOffsets { get; }

    /// <summary>Number of real (non-padding) tokens.</summary>
    public int SequenceLength { get; }

    /// <summary>Position of the first context token (question length + 2).</summary>
    public int ContextStart { get; }

    /// <summary>Number of context tokens in this window.</summary>
    public int ContextLength { get; }

    /// <summary>Index, in the example's whole tokenized context, of this window's first context token.</summary>
    public int ContextTokenOffset { get; }

    /// <summary>Position of the answer's first token, or 0 ([CLS]) when the window does not hold the whole answer or the question has none.</summary>
    public int StartPosition { get; }

    /// <summary>Position of the answer's last token, or 0 ([CLS]) like <see cref="StartPosition"/>.</summary>
    public int EndPosition { get; }

    /// <summary>True when the labels point at an answer span rather than at [CLS].</summary>
    public bool HasAnswer => StartPosition > 0;

    /// <summary>True when position <paramref name="position"/> holds a context token.</summary>
    public bool IsContextToken(int position) => position >= ContextStart && position < ContextStart + ContextLength;
}
