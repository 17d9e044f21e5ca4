using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using DistillML.Text.Decoding;
using DistillML.Text.Features;
using DistillML.Text.Squad;

namespace DistillML.Onnx.MlNet;

/// <summary>
/// Everything the saved pipeline's custom mappings need to cut a question into windows and decode its answer: the
/// featurizer settings, the vocabulary, the window budget and the decoding options, as one text value.
/// </summary>
/// <remarks>
/// Why a text value in the data: ML.NET saves a <c>CustomMapping</c> as its contract name only (the factory is created
/// with no arguments at <c>Model.Load</c>), and the API that would let a transformer save state of its own
/// (<c>ModelSaveContext</c>'s writers, <c>LoadableClassAttribute</c>, <c>ModelLoadContext</c>) is internal to ML.NET. A
/// <c>MapValue</c> transformer, however, saves its lookup table in the model zip. So the pipeline maps a constant key
/// to this spec and the mappings read it from that column; the header line carries a SHA-256 of the body, by which the
/// parsed featurizer is cached, so each row costs a dictionary lookup and not a parse.
/// </remarks>
internal sealed class QaPipelineSpec
{
    /// <summary>First word of the header line; a spec of another version is refused.</summary>
    public const string Magic = "distillml-qa-pipeline/1";

    static readonly ConcurrentDictionary<string, Lazy<QaPipelineSpec>> Parsed = new(StringComparer.Ordinal);

    QaPipelineSpec(Body body)
    {
        Windows = body.Windows;
        MaxSequenceLength = body.MaxSequenceLength;
        Featurizer = new BertFeaturizer(BertTextEncoder.Create(body.Vocabulary, body.LowerCase), new FeaturizerOptions
        {
            MaxSequenceLength = body.MaxSequenceLength, DocStride = body.DocStride, MaxQueryLength = body.MaxQueryLength,
            LowerCase = body.LowerCase, PadToMaxLength = true,
        });
        PostProcessor = new SquadPostProcessor(new PostProcessingOptions
        {
            NBestSize = body.NBestSize, MaxAnswerLength = body.MaxAnswerLength, AllowNoAnswer = body.AllowNoAnswer,
            NullScoreDiffThreshold = body.NullScoreDiffThreshold,
        });
    }

    /// <summary>Windows scored per question (the first ones; later windows of a long context are not seen).</summary>
    public int Windows { get; }

    /// <summary>Tokens per window.</summary>
    public int MaxSequenceLength { get; }

    /// <summary>The featurizer, windows padded to <see cref="MaxSequenceLength"/>.</summary>
    public BertFeaturizer Featurizer { get; }

    /// <summary>The span decoder.</summary>
    public SquadPostProcessor PostProcessor { get; }

    /// <summary>The windows the pipeline scores for one question: its first <see cref="Windows"/>.</summary>
    public IReadOnlyList<QaFeature> WindowsOf(string question, string context)
    {
        var example = new SquadExample(RowId, "", context ?? "", question ?? "", [], false);
        var windows = Featurizer.Featurize(example);
        return windows.Count <= Windows ? windows : windows.Take(Windows).ToList();
    }

    /// <summary>The id the mappings give each row's question (the data view's own ids are not needed per row).</summary>
    public const string RowId = "row";

    /// <summary>The spec text for these settings.</summary>
    public static string Write(FeaturizerOptions featurizer, IReadOnlyList<string> vocabulary, PostProcessingOptions decoding, int windows)
    {
        var body = new Body
        {
            MaxSequenceLength = featurizer.MaxSequenceLength, DocStride = featurizer.DocStride, MaxQueryLength = featurizer.MaxQueryLength,
            LowerCase = featurizer.LowerCase, Windows = windows, NBestSize = decoding.NBestSize, MaxAnswerLength = decoding.MaxAnswerLength,
            AllowNoAnswer = decoding.AllowNoAnswer, NullScoreDiffThreshold = decoding.NullScoreDiffThreshold, Vocabulary = vocabulary.ToArray(),
        };
        string json = JsonSerializer.Serialize(body);
        return $"{Magic} sha256={Sha256(json)}\n{json}";
    }

    /// <summary>The parsed spec of a row's spec value, parsed once per distinct spec.</summary>
    /// <exception cref="InvalidDataException">Not a spec of this version, or its body does not match its hash.</exception>
    public static QaPipelineSpec Read(ReadOnlyMemory<char> text)
    {
        var span = text.Span;
        int newline = span.IndexOf('\n');
        string header = newline < 0 ? Shorten(span) : span[..newline].ToString();
        string prefix = Magic + " sha256=";
        if (newline < 0 || !header.StartsWith(prefix, StringComparison.Ordinal))
            throw new InvalidDataException($"Column '{QaPipelineColumns.Spec}' does not hold a DistillML question-answering spec ({Magic}); it begins '{header}'.");
        string hash = header[prefix.Length..];
        return Parsed.GetOrAdd(hash, _ => new Lazy<QaPipelineSpec>(() => Parse(hash, text[(newline + 1)..].ToString()))).Value;
    }

    static QaPipelineSpec Parse(string hash, string json)
    {
        if (Sha256(json) != hash)
            throw new InvalidDataException($"Column '{QaPipelineColumns.Spec}': the spec's body does not match its SHA-256 {hash}; the saved model is damaged.");
        var body = JsonSerializer.Deserialize<Body>(json) ?? throw new InvalidDataException($"Column '{QaPipelineColumns.Spec}': the spec's body is empty.");
        return new QaPipelineSpec(body);
    }

    static string Sha256(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();

    static string Shorten(ReadOnlySpan<char> text) => text.Length <= 40 ? text.ToString() : text[..40].ToString() + "...";

    sealed class Body
    {
        [JsonPropertyName("max_seq_length")] public int MaxSequenceLength { get; init; }
        [JsonPropertyName("doc_stride")] public int DocStride { get; init; }
        [JsonPropertyName("max_query_length")] public int MaxQueryLength { get; init; }
        [JsonPropertyName("do_lower_case")] public bool LowerCase { get; init; }
        [JsonPropertyName("windows")] public int Windows { get; init; }
        [JsonPropertyName("n_best_size")] public int NBestSize { get; init; }
        [JsonPropertyName("max_answer_length")] public int MaxAnswerLength { get; init; }
        [JsonPropertyName("allow_no_answer")] public bool AllowNoAnswer { get; init; }
        [JsonPropertyName("null_score_diff_threshold")] public double NullScoreDiffThreshold { get; init; }
        [JsonPropertyName("vocab")] public string[] Vocabulary { get; init; } = [];
    }
}
