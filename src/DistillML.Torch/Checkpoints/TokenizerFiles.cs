using System.Text.Json;
using System.Text.Json.Nodes;
using DistillML.Torch.Modeling;

namespace DistillML.Torch.Checkpoints;

/// <summary>
/// The tokenizer files Hugging Face writes beside a BERT / DistilBERT checkpoint, so that
/// <c>AutoTokenizer.from_pretrained(dir)</c> and <c>pipeline("question-answering", model=dir)</c> work on what we save:
/// <c>tokenizer_config.json</c> (<see cref="TokenizerConfig"/>), <c>special_tokens_map.json</c> and <c>tokenizer.json</c>,
/// the fast tokenizer's own serialisation (the <c>tokenizers</c> library's format: BertNormalizer, BertPreTokenizer,
/// WordPiece over vocab.txt, the [CLS] A [SEP] B [SEP] template with type ids 0/1). Written by hand because no .NET
/// library writes this format; the test checks it against Hugging Face's own JavaScript implementation.
/// </summary>
public static class TokenizerFiles
{
    /// <summary>The fast tokenizer's file.</summary>
    public const string TokenizerJson = "tokenizer.json";

    /// <summary>The special tokens' file.</summary>
    public const string SpecialTokensMap = "special_tokens_map.json";

    // BERT's special tokens by their role in special_tokens_map.json, in the order transformers writes them.
    private static readonly (string Role, string Token)[] Specials =
        [("unk_token", "[UNK]"), ("sep_token", "[SEP]"), ("pad_token", "[PAD]"), ("cls_token", "[CLS]"), ("mask_token", "[MASK]")];

    /// <summary>
    /// Writes the three files into <paramref name="directory"/> for <paramref name="vocabulary"/> (the lines of
    /// vocab.txt, id = line number). tokenizer.json is left out when the vocabulary cannot be written faithfully
    /// (a repeated token, or no [CLS] / [SEP] / [UNK]); transformers then rebuilds the fast tokenizer from vocab.txt.
    /// </summary>
    /// <returns>The files written.</returns>
    public static IReadOnlyList<string> Write(string directory, BertConfig config, IReadOnlyList<string> vocabulary, bool lowerCase)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        var written = new List<string> { Path.Combine(directory, TokenizerConfig.FileName), Path.Combine(directory, SpecialTokensMap) };
        TokenizerConfig.Write(written[0], config, lowerCase);
        var map = new JsonObject();
        foreach (var (role, token) in Specials) map[role] = token;
        WriteJson(written[1], map);
        if (ToTokenizerJson(vocabulary, lowerCase) is { } json)
        {
            written.Add(Path.Combine(directory, TokenizerJson));
            WriteJson(written[2], json);
        }
        return written;
    }

    /// <summary>Reads the lines of a vocab.txt as transformers' <c>load_vocab</c> does (one token per line, the line end removed).</summary>
    public static IReadOnlyList<string> ReadVocabulary(string path)
    {
        var lines = File.ReadAllText(path).Split('\n').ToList();
        if (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return lines.Select(l => l.TrimEnd('\r')).ToList();
    }

    /// <summary>The tokenizer.json object, or null when <paramref name="vocabulary"/> cannot be written faithfully.</summary>
    public static JsonObject? ToTokenizerJson(IReadOnlyList<string> vocabulary, bool lowerCase)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < vocabulary.Count; i++)
            if (!ids.TryAdd(vocabulary[i], i)) return null; // a JSON object cannot hold the same token twice
        if (!ids.TryGetValue("[CLS]", out int cls) || !ids.TryGetValue("[SEP]", out int sep) || !ids.ContainsKey("[UNK]")) return null;

        var added = new JsonArray();
        foreach (var (_, token) in Specials.OrderBy(s => ids.GetValueOrDefault(s.Token, int.MaxValue)))
            if (ids.TryGetValue(token, out int id))
                added.Add(new JsonObject
                {
                    ["id"] = id, ["content"] = token, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
                });
        static JsonObject Special(string token, int type) => new() { ["SpecialToken"] = new JsonObject { ["id"] = token, ["type_id"] = type } };
        static JsonObject Sequence(string name, int type) => new() { ["Sequence"] = new JsonObject { ["id"] = name, ["type_id"] = type } };
        var vocab = new JsonObject();
        foreach (var (token, id) in ids) vocab[token] = id;
        return new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = new JsonObject
            {
                ["type"] = "BertNormalizer", ["clean_text"] = true, ["handle_chinese_chars"] = true, ["strip_accents"] = null, ["lowercase"] = lowerCase,
            },
            ["pre_tokenizer"] = new JsonObject { ["type"] = "BertPreTokenizer" },
            ["post_processor"] = new JsonObject
            {
                ["type"] = "TemplateProcessing",
                ["single"] = new JsonArray(Special("[CLS]", 0), Sequence("A", 0), Special("[SEP]", 0)),
                ["pair"] = new JsonArray(Special("[CLS]", 0), Sequence("A", 0), Special("[SEP]", 0), Sequence("B", 1), Special("[SEP]", 1)),
                ["special_tokens"] = new JsonObject
                {
                    ["[CLS]"] = new JsonObject { ["id"] = "[CLS]", ["ids"] = new JsonArray(cls), ["tokens"] = new JsonArray("[CLS]") },
                    ["[SEP]"] = new JsonObject { ["id"] = "[SEP]", ["ids"] = new JsonArray(sep), ["tokens"] = new JsonArray("[SEP]") },
                },
            },
            ["decoder"] = new JsonObject { ["type"] = "WordPiece", ["prefix"] = "##", ["cleanup"] = true },
            ["model"] = new JsonObject
            {
                ["type"] = "WordPiece", ["unk_token"] = "[UNK]", ["continuing_subword_prefix"] = "##", ["max_input_chars_per_word"] = 100, ["vocab"] = vocab,
            },
        };
    }

    private static void WriteJson(string path, JsonNode node)
    {
        string temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            File.WriteAllText(temp, node.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            if (File.Exists(temp)) File.Delete(temp);
            throw;
        }
    }
}
