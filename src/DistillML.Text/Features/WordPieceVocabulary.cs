namespace DistillML.Text.Features;

/// <summary>
/// A BERT <c>vocab.txt</c> read as a list: id to token, token to id, and which tokens continue a word ("##" pieces).
/// Microsoft.ML.Tokenizers' <c>BertTokenizer</c> encodes with the vocabulary but does not expose it, and masked-language
/// pretraining needs the list itself (random replacement tokens, whole-word boundaries, special ids).
/// </summary>
public sealed class WordPieceVocabulary
{
    private readonly string[] tokens;
    private readonly Dictionary<string, int> ids;

    private WordPieceVocabulary(string path, string[] tokens)
    {
        Path = path;
        this.tokens = tokens;
        ids = new Dictionary<string, int>(tokens.Length, StringComparer.Ordinal);
        for (int i = 0; i < tokens.Length; i++) ids.TryAdd(tokens[i], i);
        int Required(string token) => ids.TryGetValue(token, out int id) ? id
            : throw new InvalidDataException($"{path}: the vocabulary has no {token} token.");
        ClsId = Required("[CLS]");
        SepId = Required("[SEP]");
        MaskId = Required("[MASK]");
        PadId = Required("[PAD]");
        UnkId = Required("[UNK]");
    }

    /// <summary>Reads a vocabulary file (one token a line; the line number, from 0, is the id).</summary>
    public static WordPieceVocabulary Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"BERT vocabulary '{path}' does not exist.", path);
        var lines = File.ReadAllLines(path);
        int count = lines.Length;
        while (count > 0 && lines[count - 1].Length == 0) count--; // a trailing newline is not a token
        if (count == 0) throw new InvalidDataException($"{path}: the vocabulary is empty.");
        return new WordPieceVocabulary(path, lines[..count]);
    }

    /// <summary>The file the vocabulary was read from.</summary>
    public string Path { get; }

    /// <summary>The tokens in id order.</summary>
    public IReadOnlyList<string> Tokens => tokens;

    /// <summary>Number of tokens.</summary>
    public int Count => tokens.Length;

    /// <summary>Id of [CLS].</summary>
    public int ClsId { get; }
    /// <summary>Id of [SEP].</summary>
    public int SepId { get; }
    /// <summary>Id of [MASK].</summary>
    public int MaskId { get; }
    /// <summary>Id of [PAD].</summary>
    public int PadId { get; }
    /// <summary>Id of [UNK].</summary>
    public int UnkId { get; }

    /// <summary>The token with id <paramref name="id"/>.</summary>
    public string this[int id] => tokens[id];

    /// <summary>The id of <paramref name="token"/>, or -1.</summary>
    public int IdOf(string token) => ids.TryGetValue(token, out int id) ? id : -1;

    /// <summary>True for "##" pieces, which continue the previous token's word.</summary>
    public bool IsContinuation(int id) => tokens[id].StartsWith("##", StringComparison.Ordinal);

    /// <summary>True for bracketed special tokens such as [CLS], [SEP], [PAD], [MASK], [UNK] and [unused0].</summary>
    public bool IsSpecial(int id) => tokens[id].Length > 2 && tokens[id][0] == '[' && tokens[id][^1] == ']';

    /// <summary>SHA-256 of the token list, hex: identifies a vocabulary in manifests and ONNX metadata.</summary>
    public string Hash()
    {
        using var sha = System.Security.Cryptography.SHA256.Create();
        return Convert.ToHexString(sha.ComputeHash(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', tokens)))).ToLowerInvariant();
    }
}
