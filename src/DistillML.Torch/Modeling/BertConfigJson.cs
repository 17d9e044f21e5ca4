using System.Text.Json;
using System.Text.Json.Nodes;

namespace DistillML.Torch.Modeling;

/// <summary>Reads and writes <see cref="BertConfig"/> as Hugging Face's <c>config.json</c>, for every <see cref="ModelFamily"/>.</summary>
public static class BertConfigJson
{
    /// <summary>Reads <c>config.json</c>; errors name the file, the key and the value.</summary>
    public static BertConfig Read(string path)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new InvalidDataException($"{path}: config.json must hold a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e);
        }
        try
        {
            return Parse(root).Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Parses a config object (Hugging Face keys); unknown keys are ignored as transformers does.</summary>
    public static BertConfig Parse(JsonObject root)
    {
        string modelType = String(root, "model_type") ?? throw new ArgumentException("config.json has no \"model_type\" (expected \"bert\", \"distilbert\" or \"electra\").", "model_type");
        return modelType switch
        {
            "bert" => ParseBert(root, ModelFamily.Bert),
            "electra" => ParseBert(root, ModelFamily.Electra),
            "distilbert" => ParseDistilBert(root),
            _ => throw new ArgumentException($"Invalid model configuration: model_type = \"{modelType}\": only \"bert\", \"distilbert\" and \"electra\" are supported.", "model_type"),
        };
    }

    // BERT and ELECTRA share their keys; ELECTRA adds embedding_size (transformers' default 128).
    static BertConfig ParseBert(JsonObject root, ModelFamily family) => new()
    {
        Family = family,
        VocabSize = Int(root, "vocab_size") ?? 30522,
        EmbeddingSize = family == ModelFamily.Electra ? Int(root, "embedding_size") ?? 128 : null,
        HiddenSize = Int(root, "hidden_size") ?? (family == ModelFamily.Electra ? 256 : 768),
        NumLayers = Int(root, "num_hidden_layers") ?? 12,
        NumHeads = Int(root, "num_attention_heads") ?? (family == ModelFamily.Electra ? 4 : 12),
        IntermediateSize = Int(root, "intermediate_size") ?? (family == ModelFamily.Electra ? 1024 : 3072),
        HiddenAct = String(root, "hidden_act") ?? "gelu",
        HiddenDropout = Double(root, "hidden_dropout_prob") ?? 0.1,
        AttentionDropout = Double(root, "attention_probs_dropout_prob") ?? 0.1,
        QaDropout = 0,
        MaxPositionEmbeddings = Int(root, "max_position_embeddings") ?? 512,
        TypeVocabSize = Int(root, "type_vocab_size") ?? 2,
        LayerNormEps = Double(root, "layer_norm_eps") ?? 1e-12,
        PadTokenId = Int(root, "pad_token_id") ?? 0,
        InitializerRange = Double(root, "initializer_range") ?? 0.02,
    };

    static BertConfig ParseDistilBert(JsonObject root)
    {
        if (Bool(root, "sinusoidal_pos_embds") == true)
            throw new ArgumentException("Invalid model configuration: sinusoidal_pos_embds = true: only learned position embeddings are supported.", "sinusoidal_pos_embds");
        return new BertConfig
        {
            Family = ModelFamily.DistilBert,
            VocabSize = Int(root, "vocab_size") ?? 30522,
            HiddenSize = Int(root, "dim") ?? 768,
            NumLayers = Int(root, "n_layers") ?? 6,
            NumHeads = Int(root, "n_heads") ?? 12,
            IntermediateSize = Int(root, "hidden_dim") ?? 3072,
            HiddenAct = String(root, "activation") ?? "gelu",
            HiddenDropout = Double(root, "dropout") ?? 0.1,
            AttentionDropout = Double(root, "attention_dropout") ?? 0.1,
            QaDropout = Double(root, "qa_dropout") ?? 0.1,
            MaxPositionEmbeddings = Int(root, "max_position_embeddings") ?? 512,
            TypeVocabSize = 0,
            LayerNormEps = 1e-12, // fixed in transformers' DistilBERT
            PadTokenId = Int(root, "pad_token_id") ?? 0,
            InitializerRange = Double(root, "initializer_range") ?? 0.02,
        };
    }

    /// <summary>The config as Hugging Face writes it for <c>BertForQuestionAnswering</c>, <c>DistilBertForQuestionAnswering</c> or <c>ElectraForQuestionAnswering</c>.</summary>
    public static JsonObject ToJson(BertConfig config)
    {
        config.Validate();
        if (config.Family == ModelFamily.DistilBert) return DistilBertJson(config);
        var json = new JsonObject
        {
            ["architectures"] = new JsonArray(config.QaArchitecture),
            ["model_type"] = config.BaseModelPrefix,
            ["vocab_size"] = config.VocabSize,
        };
        if (config.Family == ModelFamily.Electra) json["embedding_size"] = config.EmbeddingWidth;
        json["hidden_size"] = config.HiddenSize;
        json["num_hidden_layers"] = config.NumLayers;
        json["num_attention_heads"] = config.NumHeads;
        json["intermediate_size"] = config.IntermediateSize;
        json["hidden_act"] = config.HiddenAct;
        json["hidden_dropout_prob"] = config.HiddenDropout;
        json["attention_probs_dropout_prob"] = config.AttentionDropout;
        json["max_position_embeddings"] = config.MaxPositionEmbeddings;
        json["type_vocab_size"] = config.TypeVocabSize;
        json["layer_norm_eps"] = config.LayerNormEps;
        json["pad_token_id"] = config.PadTokenId;
        json["initializer_range"] = config.InitializerRange;
        json["position_embedding_type"] = "absolute";
        json["torch_dtype"] = "float32";
        return json;
    }

    static JsonObject DistilBertJson(BertConfig config) => new()
    {
        ["architectures"] = new JsonArray("DistilBertForQuestionAnswering"),
        ["model_type"] = "distilbert",
        ["vocab_size"] = config.VocabSize,
        ["dim"] = config.HiddenSize,
        ["n_layers"] = config.NumLayers,
        ["n_heads"] = config.NumHeads,
        ["hidden_dim"] = config.IntermediateSize,
        ["activation"] = config.HiddenAct,
        ["dropout"] = config.HiddenDropout,
        ["attention_dropout"] = config.AttentionDropout,
        ["qa_dropout"] = config.QaDropout,
        ["max_position_embeddings"] = config.MaxPositionEmbeddings,
        ["pad_token_id"] = config.PadTokenId,
        ["initializer_range"] = config.InitializerRange,
        ["sinusoidal_pos_embds"] = false,
        ["tie_weights_"] = true,
        ["torch_dtype"] = "float32",
    };

    /// <summary>Writes <c>config.json</c> atomically (temp file, then rename).</summary>
    public static void Write(BertConfig config, string path)
    {
        string text = ToJson(config).ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        string temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        File.WriteAllText(temp, text + "\n");
        File.Move(temp, path, overwrite: true);
    }

    static JsonNode? Get(JsonObject root, string key) => root.TryGetPropertyValue(key, out var node) ? node : null;

    static string? String(JsonObject root, string key) => Get(root, key) switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? s) => s,
        var other => throw Bad(key, other, "a string"),
    };

    static bool? Bool(JsonObject root, string key) => Get(root, key) switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out bool b) => b,
        var other => throw Bad(key, other, "true or false"),
    };

    static int? Int(JsonObject root, string key)
    {
        var node = Get(root, key);
        if (node is null) return null;
        if (node is JsonValue v && v.TryGetValue(out double d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue) return (int)d;
        throw Bad(key, node, "an integer");
    }

    static double? Double(JsonObject root, string key)
    {
        var node = Get(root, key);
        if (node is null) return null;
        if (node is JsonValue v && v.TryGetValue(out double d)) return d;
        throw Bad(key, node, "a number");
    }

    static ArgumentException Bad(string key, JsonNode? value, string expected) =>
        new($"Invalid model configuration: {key} = {value?.ToJsonString() ?? "null"}: expected {expected}.", key);
}
