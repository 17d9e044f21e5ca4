using System.Globalization;
using DistillML.Text.Features;

namespace DistillML.Text.Deployment;

/// <summary>
/// What an exported question-answering model says about itself (ONNX <c>metadata_props</c>): its architecture and
/// size, the vocabulary its token ids refer to (by hash) and the featurizer settings it was trained with. The
/// exporter (DistillML.Torch) writes it and the runtime (DistillML.Onnx) reads it, so both share these keys.
/// </summary>
public sealed record QaModelMetadata
{
    /// <summary>Prefix of every key DistillML writes.</summary>
    public const string Prefix = "distillml.";
    /// <summary>Key of <see cref="Architecture"/>.</summary>
    public const string ArchitectureKey = Prefix + "architecture";
    /// <summary>Key of <see cref="Family"/>.</summary>
    public const string FamilyKey = Prefix + "family";
    /// <summary>Key of <see cref="ParameterCount"/>.</summary>
    public const string ParameterCountKey = Prefix + "parameter_count";
    /// <summary>Key of <see cref="VocabHash"/>.</summary>
    public const string VocabHashKey = Prefix + "vocab_hash";
    /// <summary>Key of <see cref="VocabSize"/>.</summary>
    public const string VocabSizeKey = Prefix + "vocab_size";
    /// <summary>Key of <see cref="MaxPositionEmbeddings"/>.</summary>
    public const string MaxPositionEmbeddingsKey = Prefix + "max_position_embeddings";
    /// <summary>Key of <see cref="MaxSequenceLength"/> (Hugging Face's <c>max_seq_length</c>).</summary>
    public const string MaxSequenceLengthKey = Prefix + "max_seq_length";
    /// <summary>Key of <see cref="DocStride"/>.</summary>
    public const string DocStrideKey = Prefix + "doc_stride";
    /// <summary>Key of <see cref="MaxQueryLength"/>.</summary>
    public const string MaxQueryLengthKey = Prefix + "max_query_length";
    /// <summary>Key of <see cref="LowerCase"/>.</summary>
    public const string LowerCaseKey = Prefix + "lower_case";
    /// <summary>Key of <see cref="WeightFormat"/>.</summary>
    public const string WeightFormatKey = Prefix + "weight_format";
    /// <summary>Key of <see cref="ConfigJson"/>.</summary>
    public const string ConfigJsonKey = Prefix + "config_json";

    /// <summary>Hugging Face architecture name, e.g. <c>BertForQuestionAnswering</c>.</summary>
    public required string Architecture { get; init; }
    /// <summary>Model family: <c>bert</c> or <c>distilbert</c> (Hugging Face <c>model_type</c>).</summary>
    public required string Family { get; init; }
    /// <summary>Number of parameters of the trained model.</summary>
    public required long ParameterCount { get; init; }
    /// <summary>SHA-256 of the vocabulary's token list (see <see cref="WordPieceVocabulary.Hash"/>).</summary>
    public required string VocabHash { get; init; }
    /// <summary>Number of tokens of the vocabulary.</summary>
    public required int VocabSize { get; init; }
    /// <summary>Longest sequence the position embeddings cover.</summary>
    public required int MaxPositionEmbeddings { get; init; }
    /// <summary>Tokens per window the model was trained with (<see cref="FeaturizerOptions.MaxSequenceLength"/>).</summary>
    public required int MaxSequenceLength { get; init; }
    /// <summary>Overlap of consecutive windows (<see cref="FeaturizerOptions.DocStride"/>).</summary>
    public required int DocStride { get; init; }
    /// <summary>Question length limit (<see cref="FeaturizerOptions.MaxQueryLength"/>).</summary>
    public required int MaxQueryLength { get; init; }
    /// <summary>Whether text is lower-cased and accent-stripped (<see cref="FeaturizerOptions.LowerCase"/>).</summary>
    public required bool LowerCase { get; init; }
    /// <summary>How the weights are stored: <c>fp32</c>, <c>fp16</c> or <c>int8</c>.</summary>
    public required string WeightFormat { get; init; }
    /// <summary>The model's Hugging Face <c>config.json</c>.</summary>
    public required string ConfigJson { get; init; }

    /// <summary>Featurizer settings equal to the training ones, reading <paramref name="vocabPath"/>; windows are not padded (the runtime pads per batch).</summary>
    public FeaturizerOptions ToFeaturizerOptions(string vocabPath) => new()
    {
        VocabPath = vocabPath, MaxSequenceLength = MaxSequenceLength, DocStride = DocStride,
        MaxQueryLength = MaxQueryLength, LowerCase = LowerCase, PadToMaxLength = false,
    };

    /// <summary>The key/value pairs as written into the model file.</summary>
    public IReadOnlyDictionary<string, string> ToDictionary() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [ArchitectureKey] = Architecture,
        [FamilyKey] = Family,
        [ParameterCountKey] = ParameterCount.ToString(CultureInfo.InvariantCulture),
        [VocabHashKey] = VocabHash,
        [VocabSizeKey] = VocabSize.ToString(CultureInfo.InvariantCulture),
        [MaxPositionEmbeddingsKey] = MaxPositionEmbeddings.ToString(CultureInfo.InvariantCulture),
        [MaxSequenceLengthKey] = MaxSequenceLength.ToString(CultureInfo.InvariantCulture),
        [DocStrideKey] = DocStride.ToString(CultureInfo.InvariantCulture),
        [MaxQueryLengthKey] = MaxQueryLength.ToString(CultureInfo.InvariantCulture),
        [LowerCaseKey] = LowerCase ? "true" : "false",
        [WeightFormatKey] = WeightFormat,
        [ConfigJsonKey] = ConfigJson,
    };

    /// <summary>Reads the pairs written by <see cref="ToDictionary"/>.</summary>
    /// <param name="properties">The model's metadata properties.</param>
    /// <param name="source">The model file, named in errors.</param>
    /// <exception cref="InvalidDataException">A key is missing or its value does not parse; the message names the file, key and value.</exception>
    public static QaModelMetadata FromDictionary(IReadOnlyDictionary<string, string> properties, string source)
    {
        ArgumentNullException.ThrowIfNull(properties);
        string Get(string key) => properties.TryGetValue(key, out var v) ? v
            : throw new InvalidDataException($"{source}: metadata property '{key}' is missing; was the model exported by DistillML?");
        int Int(string key) => int.TryParse(Get(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= 0 ? v
            : throw new InvalidDataException($"{source}: metadata property '{key}' = '{Get(key)}' is not a non-negative integer.");
        long Long(string key) => long.TryParse(Get(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) && v >= 0 ? v
            : throw new InvalidDataException($"{source}: metadata property '{key}' = '{Get(key)}' is not a non-negative integer.");
        bool Bool(string key) => Get(key) switch
        {
            "true" => true,
            "false" => false,
            var v => throw new InvalidDataException($"{source}: metadata property '{key}' = '{v}' is not 'true' or 'false'."),
        };
        return new QaModelMetadata
        {
            Architecture = Get(ArchitectureKey), Family = Get(FamilyKey), ParameterCount = Long(ParameterCountKey),
            VocabHash = Get(VocabHashKey), VocabSize = Int(VocabSizeKey), MaxPositionEmbeddings = Int(MaxPositionEmbeddingsKey),
            MaxSequenceLength = Int(MaxSequenceLengthKey), DocStride = Int(DocStrideKey), MaxQueryLength = Int(MaxQueryLengthKey),
            LowerCase = Bool(LowerCaseKey), WeightFormat = Get(WeightFormatKey), ConfigJson = Get(ConfigJsonKey),
        };
    }
}
