namespace DistillML.Text.Features;

/// <summary>
/// Settings of <see cref="BertFeaturizer"/>. The defaults are those of the standard Hugging Face SQuAD recipe
/// (<c>run_qa.py</c> / <c>prepare_train_features</c>): 384 tokens per window, 128 tokens of overlap between
/// consecutive windows, questions cut to 64 tokens, windows padded to the full length.
/// </summary>
public sealed class FeaturizerOptions
{
    /// <summary>Path of a BERT WordPiece <c>vocab.txt</c> (one token a line, id = line number - 1). Required by <see cref="BertFeaturizer.Create(FeaturizerOptions)"/>.</summary>
    public string? VocabPath { get; set; }

    /// <summary>Tokens per window, [CLS], [SEP]s and padding included (Hugging Face's <c>max_seq_length</c>). Default 384.</summary>
    public int MaxSequenceLength { get; set; } = 384;

    /// <summary>
    /// Number of context tokens that two consecutive windows of one example share (Hugging Face's <c>doc_stride</c>
    /// as passed to the fast tokenizer's <c>stride</c> in <c>prepare_train_features</c>). Default 128.
    /// A window therefore starts <c>maxContextTokens - DocStride</c> context tokens after the previous one.
    /// Note that the legacy <c>run_squad.py</c> used the same name for the step between windows instead.
    /// </summary>
    public int DocStride { get; set; } = 128;

    /// <summary>Questions longer than this many WordPiece tokens are cut to it (Hugging Face's <c>max_query_length</c>). Default 64.</summary>
    public int MaxQueryLength { get; set; } = 64;

    /// <summary>When true (the default) every window is padded with [PAD] to <see cref="MaxSequenceLength"/>; when false windows keep their real length.</summary>
    public bool PadToMaxLength { get; set; } = true;

    /// <summary>Lower-case and strip accents as BERT uncased does. Default true; set false only for cased vocabularies.</summary>
    public bool LowerCase { get; set; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> when the settings cannot produce windows.</summary>
    public void Validate()
    {
        if (MaxSequenceLength < 8) throw new ArgumentException($"MaxSequenceLength must be at least 8, not {MaxSequenceLength}.");
        if (MaxQueryLength < 1) throw new ArgumentException($"MaxQueryLength must be at least 1, not {MaxQueryLength}.");
        if (DocStride < 0) throw new ArgumentException($"DocStride must not be negative, not {DocStride}.");
        int minContext = MaxSequenceLength - MaxQueryLength - 3;
        if (minContext <= DocStride)
            throw new ArgumentException(
                $"DocStride ({DocStride}) must be smaller than the context room left by MaxSequenceLength ({MaxSequenceLength}) " +
                $"minus MaxQueryLength ({MaxQueryLength}) minus 3 special tokens ({minContext}); otherwise windows would not advance.");
    }
}
