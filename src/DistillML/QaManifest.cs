using DistillML.Text.Features;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DistillML;

/// <summary>
/// <c>distillml.json</c>, written beside the Hugging Face files (config.json, model.safetensors, vocab.txt) of a saved
/// question-answering transformer: what the model reads (windows, columns), how answers are decoded, and, for a
/// distilled student, its training report. Hugging Face loaders ignore it.
/// </summary>
/// <param name="Format">Always <see cref="CurrentFormat"/>.</param>
/// <param name="Kind">"distilled" or "inference".</param>
/// <param name="Columns">Input and output column names.</param>
/// <param name="MaxSequenceLength">Tokens per window.</param>
/// <param name="DocStride">Window overlap.</param>
/// <param name="MaxQueryLength">Question length cap.</param>
/// <param name="LowerCase">Uncased vocabulary.</param>
/// <param name="AllowNoAnswer">SQuAD 2.0 decoding.</param>
/// <param name="NullScoreDiffThreshold">No-answer threshold on score differences.</param>
/// <param name="MaxAnswerLength">Longest answer in tokens.</param>
/// <param name="InferenceBatchSize">Windows per batch.</param>
/// <param name="Training">The distillation report, for distilled students.</param>
public sealed record QaManifest(
    string Format, string Kind, QaColumns Columns, int MaxSequenceLength, int DocStride, int MaxQueryLength, bool LowerCase,
    bool AllowNoAnswer, double NullScoreDiffThreshold, int MaxAnswerLength, int InferenceBatchSize, DistillationTrainingReport? Training)
{
    /// <summary>The manifest's file name.</summary>
    public const string FileName = "distillml.json";

    /// <summary>The format tag this version writes and reads.</summary>
    public const string CurrentFormat = "distillml-qa/1";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    /// <summary>Writes the manifest into <paramref name="directory"/> (temporary file, then rename).</summary>
    public void Write(string directory)
    {
        string path = Path.Combine(directory, FileName);
        string temp = path + $".{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, Json));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>
    /// The featurizer settings a checkpoint was trained with: <paramref name="manifest"/>'s windows, question length and
    /// casing, or <see cref="FeaturizerOptions"/>' defaults when there is none (a plain Hugging Face checkpoint);
    /// <paramref name="maxSequenceLength"/> and <paramref name="docStride"/> override the windows.
    /// </summary>
    public static FeaturizerOptions FeaturizerFor(QaManifest? manifest, string? vocabPath, int? maxSequenceLength = null, int? docStride = null)
    {
        var defaults = new FeaturizerOptions();
        return new FeaturizerOptions
        {
            VocabPath = vocabPath,
            MaxSequenceLength = maxSequenceLength ?? manifest?.MaxSequenceLength ?? defaults.MaxSequenceLength,
            DocStride = docStride ?? manifest?.DocStride ?? defaults.DocStride,
            MaxQueryLength = manifest?.MaxQueryLength ?? defaults.MaxQueryLength,
            LowerCase = manifest?.LowerCase ?? defaults.LowerCase,
        };
    }

    /// <summary>The manifest of <paramref name="directory"/>, or null when it has none (a plain Hugging Face checkpoint).</summary>
    /// <exception cref="InvalidDataException">The file is not a manifest of this format.</exception>
    public static QaManifest? Read(string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return null;
        QaManifest? manifest;
        try { manifest = JsonSerializer.Deserialize<QaManifest>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new InvalidDataException($"'{path}' is not a valid DistillML manifest: {e.Message}", e); }
        if (manifest is null || manifest.Format != CurrentFormat)
            throw new InvalidDataException($"'{path}' has format '{manifest?.Format}', expected '{CurrentFormat}'.");
        return manifest;
    }
}
