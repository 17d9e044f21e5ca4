using DistillML.Text.Squad;

namespace DistillML.Text.Features;

/// <summary>
/// Turns SQuAD examples into BERT question-answering windows, as Hugging Face's SQuAD recipe does:
/// <c>[CLS] question [SEP] context-window [SEP]</c>, the question cut to <see cref="FeaturizerOptions.MaxQueryLength"/>
/// tokens, the context cut into windows that overlap by <see cref="FeaturizerOptions.DocStride"/> tokens, with
/// segment ids, attention mask, padding, character offsets of context tokens and start/end labels ([CLS] = 0 when a
/// window does not hold the whole answer or the question has none). Thread-safe.
/// </summary>
/// <example>
/// <code>
/// var featurizer = BertFeaturizer.Create(new FeaturizerOptions { VocabPath = "vocab.txt" });
/// IReadOnlyList&lt;QaFeature&gt; windows = featurizer.Featurize(example);
/// </code>
/// </example>
public sealed class BertFeaturizer
{
    readonly int _maxSequenceLength, _docStride, _maxQueryLength;
    readonly bool _pad;
    CachedContext? _lastContext;

    /// <summary>Builds a featurizer over an existing encoder.</summary>
    /// <param name="encoder">The WordPiece encoder (vocabulary, casing).</param>
    /// <param name="options">Window settings; the defaults when null. Copied, later changes have no effect.</param>
    /// <exception cref="ArgumentException">The options cannot produce windows (see <see cref="FeaturizerOptions.Validate"/>).</exception>
    public BertFeaturizer(BertTextEncoder encoder, FeaturizerOptions? options = null)
    {
        Encoder = encoder ?? throw new ArgumentNullException(nameof(encoder));
        options ??= new FeaturizerOptions();
        options.Validate();
        _maxSequenceLength = options.MaxSequenceLength;
        _docStride = options.DocStride;
        _maxQueryLength = options.MaxQueryLength;
        _pad = options.PadToMaxLength;
        Options = new FeaturizerOptions
        {
            VocabPath = options.VocabPath, MaxSequenceLength = _maxSequenceLength, DocStride = _docStride,
            MaxQueryLength = _maxQueryLength, PadToMaxLength = _pad, LowerCase = encoder.LowerCase,
        };
    }

    /// <summary>Loads <see cref="FeaturizerOptions.VocabPath"/> and builds a featurizer.</summary>
    /// <exception cref="ArgumentException">No vocabulary path, or invalid window settings.</exception>
    /// <exception cref="FileNotFoundException">The vocabulary file does not exist.</exception>
    public static BertFeaturizer Create(FeaturizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrEmpty(options.VocabPath))
            throw new ArgumentException("FeaturizerOptions.VocabPath must name a BERT vocab.txt.", nameof(options));
        options.Validate();
        return new BertFeaturizer(BertTextEncoder.Create(options.VocabPath, options.LowerCase), options);
    }

    /// <summary>The WordPiece encoder.</summary>
    public BertTextEncoder Encoder { get; }

    /// <summary>A copy of the settings in use.</summary>
    public FeaturizerOptions Options { get; }

    /// <summary>All windows of all examples, in order; <see cref="QaFeature.ExampleIndex"/> counts the examples from 0.</summary>
    public IEnumerable<QaFeature> Featurize(IEnumerable<SquadExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        int index = 0;
        foreach (SquadExample example in examples)
        {
            foreach (QaFeature feature in Featurize(example, index)) yield return feature;
            index++;
        }
    }

    /// <summary>The windows of one example, labelled with its first answer (none for unanswerable questions).</summary>
    /// <param name="example">The question and its paragraph.</param>
    /// <param name="exampleIndex">Stored in <see cref="QaFeature.ExampleIndex"/>.</param>
    public IReadOnlyList<QaFeature> Featurize(SquadExample example, int exampleIndex = 0)
    {
        ArgumentNullException.ThrowIfNull(example);
        SquadAnswer? answer = example.IsImpossible || example.Answers.Count == 0 ? null : example.Answers[0];
        if (answer is not null && (answer.Start < 0 || answer.End > example.Context.Length))
            throw new ArgumentException(
                $"Question '{example.Id}': answer [{answer.Start}, {answer.End}) lies outside its context of {example.Context.Length} characters.",
                nameof(example));
        return Featurize(example.Id, example.Question, example.Context, answer, exampleIndex);
    }

    /// <summary>The windows of a question over a context, unlabelled (labels at [CLS]): what inference needs.</summary>
    public IReadOnlyList<QaFeature> Featurize(string id, string question, string context, int exampleIndex = 0)
        => Featurize(id, question, context, null, exampleIndex);

    IReadOnlyList<QaFeature> Featurize(string id, string question, string context, SquadAnswer? answer, int exampleIndex)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(context);
        TokenizedText q = Encoder.Encode(question);
        int queryLength = Math.Min(q.Count, _maxQueryLength);
        TokenizedText c = EncodeContext(context);
        int contextStart = queryLength + 2;
        int maxContext = _maxSequenceLength - queryLength - 3;
        List<(int Start, int Length)> windows = ContextWindows.Split(c.Count, maxContext, _docStride);

        var features = new QaFeature[windows.Count];
        int[] qIds = q.IdArray, cIds = c.IdArray;
        for (int w = 0; w < windows.Count; w++)
        {
            (int start, int length) = windows[w];
            int realLength = contextStart + length + 1;
            int size = _pad ? _maxSequenceLength : realLength;
            var inputIds = new long[size];
            var typeIds = new long[size];
            var mask = new long[size];
            var offsets = new CharSpan[size];
            Array.Fill(offsets, CharSpan.None);
            if (Encoder.PadId != 0) Array.Fill(inputIds, Encoder.PadId, realLength, size - realLength);

            inputIds[0] = Encoder.ClsId;
            for (int i = 0; i < queryLength; i++) inputIds[1 + i] = qIds[i];
            inputIds[queryLength + 1] = Encoder.SepId;
            for (int i = 0; i < length; i++)
            {
                int p = contextStart + i, t = start + i;
                inputIds[p] = cIds[t];
                typeIds[p] = 1;
                offsets[p] = new CharSpan(c.Starts[t], c.Ends[t]);
            }
            inputIds[realLength - 1] = Encoder.SepId;
            typeIds[realLength - 1] = 1;
            Array.Fill(mask, 1L, 0, realLength);

            (int startLabel, int endLabel) = answer is null
                ? (0, 0)
                : AnswerLabels.Find(c, start, length, contextStart, answer.Start, answer.End);
            features[w] = new QaFeature(id, exampleIndex, w, inputIds, typeIds, mask, offsets, realLength,
                contextStart, length, start, startLabel, endLabel);
        }
        return features;
    }

    /// <summary>
    /// Tokenizes a context once; SQuAD asks several questions in a row about one paragraph, so the last context's
    /// tokens are kept and reused while the same text comes again.
    /// </summary>
    TokenizedText EncodeContext(string context)
    {
        CachedContext? last = _lastContext;
        if (last is not null && (ReferenceEquals(last.Text, context) || string.Equals(last.Text, context, StringComparison.Ordinal)))
            return last.Tokens;
        TokenizedText tokens = Encoder.Encode(context);
        _lastContext = new CachedContext(context, tokens);
        return tokens;
    }

    sealed record CachedContext(string Text, TokenizedText Tokens);
}
