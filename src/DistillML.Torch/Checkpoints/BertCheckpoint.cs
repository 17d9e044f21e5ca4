using DistillML.Torch.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace DistillML.Torch.Checkpoints;

/// <summary>
/// Hugging Face's checkpoint layout for question-answering models: <c>config.json</c>, <c>model.safetensors</c>
/// (Hugging Face tensor names) and <c>vocab.txt</c>. What DistillML writes, transformers'
/// <c>AutoModelForQuestionAnswering.from_pretrained</c> reads, and the other way round.
/// </summary>
public static class BertCheckpoint
{
    /// <summary>The config file name.</summary>
    public const string ConfigFile = "config.json";
    /// <summary>The weights file name.</summary>
    public const string WeightsFile = "model.safetensors";
    /// <summary>The vocabulary file name.</summary>
    public const string VocabularyFile = "vocab.txt";

    // Buffers that some transformers versions save and that carry no learned state.
    static bool IsIgnorableBuffer(string name) => name.EndsWith(".position_ids", StringComparison.Ordinal) || name.EndsWith("embeddings.token_type_ids", StringComparison.Ordinal);

    /// <summary>
    /// Loads the model in <paramref name="directory"/>. Every tensor must be present with its exact shape and nothing
    /// else may be there (buffers such as <c>position_ids</c> aside); with <paramref name="allowNewQaHead"/>, a checkpoint
    /// of an encoder (pretraining heads, pooler) loads with a freshly initialised <c>qa_outputs</c>, as transformers does.
    /// </summary>
    /// <remarks>Weights are read from model.safetensors, sharded safetensors (model.safetensors.index.json) or pytorch_model.bin, in that order of preference.</remarks>
    /// <exception cref="FileNotFoundException">config.json or the weights are missing.</exception>
    /// <exception cref="CheckpointMismatchException">A tensor is missing, unexpected or has another shape (named with both shapes).</exception>
    /// <param name="directory">The checkpoint directory.</param>
    /// <param name="device">Where the model goes (default CPU).</param>
    /// <param name="allowNewQaHead">Load an encoder checkpoint with a fresh QA head.</param>
    /// <param name="adjust">Changes to the run-time settings of config.json (dropouts) before the model is built; the sizes must stay.</param>
    /// <param name="generator">Draws the initial weights (all but a fresh QA head are then overwritten); null for torch's global generator.</param>
    public static BertQaModel Load(string directory, Device? device = null, bool allowNewQaHead = false, Func<BertConfig, BertConfig>? adjust = null,
        Generator? generator = null)
    {
        string configPath = Path.Combine(directory, ConfigFile);
        if (!File.Exists(configPath)) throw new FileNotFoundException($"No {ConfigFile} in checkpoint directory '{directory}'.", configPath);
        if (!CheckpointTensors.Files.Any(f => File.Exists(Path.Combine(directory, f))))
            throw new FileNotFoundException($"No weights in checkpoint directory '{directory}' (looked for {string.Join(", ", CheckpointTensors.Files)}).", Path.Combine(directory, WeightsFile));
        var config = BertConfigJson.Read(configPath);
        if (adjust is not null)
        {
            var adjusted = adjust(config).Validate();
            if (adjusted with { HiddenDropout = 0, AttentionDropout = 0, QaDropout = 0 } != config with { HiddenDropout = 0, AttentionDropout = 0, QaDropout = 0 })
                throw new ArgumentException("Only the dropouts of a checkpoint's config can be adjusted at load time.", nameof(adjust));
            config = adjusted;
        }

        string vocabPath = Path.Combine(directory, VocabularyFile);
        if (File.Exists(vocabPath))
        {
            int lines = File.ReadLines(vocabPath).Count(l => l.Length > 0);
            if (lines != config.VocabSize)
                throw new CheckpointMismatchException($"{vocabPath} has {lines} tokens but {configPath} says vocab_size = {config.VocabSize}.");
        }

        var model = new BertQaModel(config, null, generator);
        try
        {
            using var file = CheckpointTensors.Open(directory);
            string weightsPath = file.Source;
            var expected = model.state_dict();
            bool headOptional = allowNewQaHead;
            var missing = expected.Keys.Where(k => !file.Contains(k) && !(headOptional && k.StartsWith("qa_outputs.", StringComparison.Ordinal))).ToList();
            if (missing.Count > 0)
                throw new CheckpointMismatchException($"{weightsPath}: missing tensor{(missing.Count > 1 ? "s" : "")} " +
                    string.Join(", ", missing.Take(5).Select(k => $"'{k}' (expected shape [{string.Join(", ", expected[k].shape)}])")) + (missing.Count > 5 ? $" and {missing.Count - 5} more" : "") + ".");
            var unexpected = file.Names.Where(n => !expected.ContainsKey(n) && !IsIgnorableBuffer(n)
                && !(allowNewQaHead && (n.StartsWith("cls.", StringComparison.Ordinal) || n.Contains(".pooler.", StringComparison.Ordinal) || n.StartsWith("vocab_", StringComparison.Ordinal)))).ToList();
            if (unexpected.Count > 0)
                throw new CheckpointMismatchException($"{weightsPath}: unexpected tensor{(unexpected.Count > 1 ? "s" : "")} " +
                    string.Join(", ", unexpected.Take(5).Select(n => $"'{n}'")) + (unexpected.Count > 5 ? $" and {unexpected.Count - 5} more" : "") +
                    $" for a {config.Family} model with {config.NumLayers} layers (is config.json the checkpoint's own?).");

            using (no_grad())
            {
                foreach (var (name, target) in expected)
                {
                    if (!file.Contains(name)) continue; // an allowed new QA head keeps its initialisation
                    var shape = file.Shape(name);
                    if (!shape.SequenceEqual(target.shape))
                        throw new CheckpointMismatchException($"{weightsPath}: tensor '{name}' has shape [{string.Join(", ", shape)}] in the file but the model expects [{string.Join(", ", target.shape)}].");
                    using var value = file.Read(name, target.dtype);
                    target.copy_(value);
                }
            }
            model.VocabularyPath = File.Exists(vocabPath) ? vocabPath : null;
            model.LowerCase = TokenizerConfig.ReadLowerCase(directory) ?? true;
            if (device is not null) model.to(device);
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="directory"/> (config.json, model.safetensors and, when the model
    /// knows its vocabulary, vocab.txt with Hugging Face's tokenizer files: <see cref="TokenizerFiles"/>). The files are written into a sibling temporary directory that then replaces
    /// the target, so a reader never sees half a checkpoint.
    /// </summary>
    public static void Save(BertQaModel model, string directory, IReadOnlyDictionary<string, string>? metadata = null)
    {
        string target = WriteAtomically(directory, staging =>
        {
            BertConfigJson.Write(model.Config, Path.Combine(staging, ConfigFile));
            var meta = new Dictionary<string, string> { ["format"] = "pt" };
            if (metadata is not null) foreach (var (k, v) in metadata) meta[k] = v;
            SafeTensorsWriter.Write(Path.Combine(staging, WeightsFile), model.state_dict().Select(kv => (kv.Key, kv.Value)), meta);
            if (model.VocabularyPath is { } vocab)
            {
                File.Copy(vocab, Path.Combine(staging, VocabularyFile));
                TokenizerFiles.Write(staging, model.Config, TokenizerFiles.ReadVocabulary(vocab), model.LowerCase);
            }
        });
        if (model.VocabularyPath is not null) model.VocabularyPath = Path.Combine(target, VocabularyFile);
    }

    /// <summary>
    /// Imports the BERT-family encoder (or QA model) in the ONNX file <paramref name="onnxPath"/> as a Hugging Face checkpoint
    /// in <paramref name="directory"/>: config.json inferred from the graph, model.safetensors with Hugging Face names,
    /// vocab.txt (line ends normalised to \n, as transformers' reader expects) and tokenizer_config.json. An encoder
    /// keeps its pooler and gets no QA head: <see cref="Load"/> it with <c>allowNewQaHead</c> to fine-tune it.
    /// </summary>
    /// <exception cref="InvalidDataException">The graph is not one <see cref="OnnxEncoderImport"/> understands, or the vocabulary's size differs from the embedding table's.</exception>
    public static OnnxImportResult ImportOnnx(string onnxPath, string vocabPath, string directory, bool lowerCase = true)
    {
        var imported = OnnxEncoderImport.Read(onnxPath);
        if (!File.Exists(vocabPath)) throw new FileNotFoundException($"Vocabulary '{vocabPath}' not found.", vocabPath);
        var tokens = TokenizerFiles.ReadVocabulary(vocabPath);
        if (tokens.Count != imported.Config.VocabSize)
            throw new InvalidDataException($"{vocabPath} has {tokens.Count} tokens but the embedding table of {onnxPath} has {imported.Config.VocabSize} rows.");
        WriteAtomically(directory, staging =>
        {
            BertConfigJson.Write(imported.Config, Path.Combine(staging, ConfigFile));
            using var scope = torch.NewDisposeScope();
            var tensors = imported.Tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, torch.tensor(kv.Value.Values, kv.Value.Shape))).ToList();
            SafeTensorsWriter.Write(Path.Combine(staging, WeightsFile), tensors, new Dictionary<string, string> { ["format"] = "pt", ["source"] = Path.GetFileName(onnxPath) });
            File.WriteAllText(Path.Combine(staging, VocabularyFile), string.Join("\n", tokens) + "\n");
            TokenizerFiles.Write(staging, imported.Config, tokens, lowerCase);
        });
        return imported;
    }

    // Writes the files of a checkpoint into a sibling temporary directory that then replaces the target, so a reader
    // never sees half a checkpoint; returns the target's full path.
    static string WriteAtomically(string directory, Action<string> write)
    {
        string target = Path.GetFullPath(directory);
        string parent = Path.GetDirectoryName(target) ?? throw new ArgumentException($"'{directory}' has no parent directory.", nameof(directory));
        Directory.CreateDirectory(parent);
        string staging = Path.Combine(parent, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(staging);
        try
        {
            write(staging);
            Replace(staging, target);
        }
        catch
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            throw;
        }
        return target;
    }

    // Moves the finished staging directory into place; an existing checkpoint is moved aside first and removed after.
    static void Replace(string staging, string target)
    {
        string? old = null;
        if (Directory.Exists(target))
        {
            old = target + $".old-{Guid.NewGuid():N}";
            Directory.Move(target, old);
        }
        Directory.Move(staging, target);
        if (old is not null) Directory.Delete(old, recursive: true);
    }
}
