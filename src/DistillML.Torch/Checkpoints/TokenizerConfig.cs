using System.Text.Json;
using System.Text.Json.Nodes;
using DistillML.Torch.Modeling;

namespace DistillML.Torch.Checkpoints;

/// <summary>
/// Hugging Face's <c>tokenizer_config.json</c> for a WordPiece (BERT / DistilBERT) tokenizer: the keys
/// <c>AutoTokenizer.from_pretrained</c> reads to rebuild it from <c>vocab.txt</c>.
/// </summary>
public static class TokenizerConfig
{
    /// <summary>The file name.</summary>
    public const string FileName = "tokenizer_config.json";

    /// <summary>The config for a model of <paramref name="config"/>'s family, lower-casing or not.</summary>
    public static JsonObject ToJson(BertConfig config, bool lowerCase) => new()
    {
        ["tokenizer_class"] = config.Family switch
        {
            ModelFamily.DistilBert => "DistilBertTokenizerFast",
            ModelFamily.Electra => "ElectraTokenizerFast",
            _ => "BertTokenizerFast",
        },
        ["do_lower_case"] = lowerCase,
        ["strip_accents"] = null,
        ["tokenize_chinese_chars"] = true,
        ["model_max_length"] = config.MaxPositionEmbeddings,
        ["unk_token"] = "[UNK]",
        ["sep_token"] = "[SEP]",
        ["pad_token"] = "[PAD]",
        ["cls_token"] = "[CLS]",
        ["mask_token"] = "[MASK]",
    };

    /// <summary>Writes the config atomically.</summary>
    public static void Write(string path, BertConfig config, bool lowerCase)
    {
        string temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        File.WriteAllText(temp, ToJson(config, lowerCase).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>do_lower_case of the tokenizer_config.json in <paramref name="directory"/>, or null when there is none or it does not say.</summary>
    public static bool? ReadLowerCase(string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonNode.Parse(File.ReadAllText(path))?["do_lower_case"]?.GetValue<bool>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path}: not a valid tokenizer config ({e.Message}).", e);
        }
    }
}
