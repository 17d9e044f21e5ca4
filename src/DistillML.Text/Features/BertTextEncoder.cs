using System.Collections.Concurrent;
using Microsoft.ML.Tokenizers;

namespace DistillML.Text.Features;

/// <summary>
/// Turns a text into BERT WordPiece token ids with exact character spans in the original text.
/// Basic tokenization (cleaning, lower-casing, accent stripping, punctuation split) is done by an internal
/// <c>BasicTokenizer</c> that keeps an alignment to the original characters; each word is then split into
/// WordPieces by Microsoft.ML.Tokenizers' <see cref="BertTokenizer"/> (its WordPiece step only), whose results are
/// cached per distinct word. Thread-safe.
/// </summary>
/// <remarks>
/// Why not use <see cref="BertTokenizer"/>'s own offsets: in Microsoft.ML.Tokenizers 2.0.1 they index the
/// <em>normalized</em> text, which drops control/format characters and combining marks, so they drift away from the
/// original text after the first such character. Its basic tokenization also departs from BERT's reference
/// (Hugging Face) tokenizer, which BERT checkpoints were trained with: it drops symbol and non-digit number characters
/// ($ = + | × ° £ ²), keeps "_" inside words and deletes \t \n \r instead of splitting on them. On text without such
/// characters both give the same ids (a test checks every dev-v2.0 text). See <c>BasicTokenizer</c> for the rules followed.
/// </remarks>
public sealed class BertTextEncoder
{
    const int MaxCachedWords = 1 << 20;
    readonly ConcurrentDictionary<string, WordPieces> _cache = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, WordPieces>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    readonly ThreadLocal<BasicTokenizer> _basic;

    /// <summary>Wraps a <see cref="BertTokenizer"/> whose vocabulary and special tokens are used.</summary>
    /// <param name="tokenizer">The WordPiece tokenizer (created with <see cref="BertTokenizer.Create(string, BertOptions?)"/>).</param>
    /// <param name="lowerCase">Lower-case and strip accents before WordPiece, as BERT uncased does.</param>
    public BertTextEncoder(BertTokenizer tokenizer, bool lowerCase = true)
    {
        Tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        LowerCase = lowerCase;
        _lookup = _cache.GetAlternateLookup<ReadOnlySpan<char>>();
        _basic = new ThreadLocal<BasicTokenizer>(() => new BasicTokenizer(lowerCase));
    }

    /// <summary>Loads a BERT <c>vocab.txt</c> and builds an encoder over it.</summary>
    /// <param name="vocabPath">Path of the vocabulary file (one token a line).</param>
    /// <param name="lowerCase">True for uncased vocabularies (lower-case, strip accents).</param>
    /// <exception cref="FileNotFoundException">The vocabulary file does not exist.</exception>
    public static BertTextEncoder Create(string vocabPath, bool lowerCase = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(vocabPath);
        if (!File.Exists(vocabPath)) throw new FileNotFoundException($"BERT vocabulary '{vocabPath}' does not exist.", vocabPath);
        return new BertTextEncoder(BertTokenizer.Create(vocabPath, Options(lowerCase)), lowerCase);
    }

    /// <summary>Builds an encoder over a vocabulary held in memory (the token with id i at index i).</summary>
    /// <param name="tokens">The vocabulary's tokens in id order, as the lines of its <c>vocab.txt</c>.</param>
    /// <param name="lowerCase">True for uncased vocabularies (lower-case, strip accents).</param>
    /// <exception cref="ArgumentException">No tokens, or a token with a line break (it could not be a line of vocab.txt).</exception>
    public static BertTextEncoder Create(IReadOnlyList<string> tokens, bool lowerCase = true)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Count == 0) throw new ArgumentException("The vocabulary has no tokens.", nameof(tokens));
        if (tokens.FirstOrDefault(t => t.Contains('\n') || t.Contains('\r')) is { } bad)
            throw new ArgumentException($"Vocabulary token '{bad.ReplaceLineEndings(" ")}' holds a line break.", nameof(tokens));
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', tokens)));
        return new BertTextEncoder(BertTokenizer.Create(stream, Options(lowerCase)), lowerCase);
    }

    static BertOptions Options(bool lowerCase) => new()
    {
        LowerCaseBeforeTokenization = lowerCase,
        ApplyBasicTokenization = true,
        RemoveNonSpacingMarks = lowerCase,
        IndividuallyTokenizeCjk = true,
    };

    /// <summary>The underlying Microsoft.ML.Tokenizers tokenizer.</summary>
    public BertTokenizer Tokenizer { get; }

    /// <summary>Whether text is lower-cased and stripped of accents before WordPiece.</summary>
    public bool LowerCase { get; }

    /// <summary>Id of [CLS].</summary>
    public int ClsId => Tokenizer.ClassificationTokenId;

    /// <summary>Id of [SEP].</summary>
    public int SepId => Tokenizer.SeparatorTokenId;

    /// <summary>Id of [PAD].</summary>
    public int PadId => Tokenizer.PaddingTokenId;

    /// <summary>Encodes <paramref name="text"/> without special tokens.</summary>
    public TokenizedText Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        BasicTokenizer basic = _basic.Value!;
        basic.Split(text);
        IReadOnlyList<BasicToken> words = basic.Tokens;

        int capacity = words.Count + (words.Count >> 2) + 4;
        int[] ids = new int[capacity], starts = new int[capacity], ends = new int[capacity];
        int n = 0;
        foreach (BasicToken word in words)
        {
            WordPieces pieces = Pieces(basic.Chars(word));
            if (n + pieces.Ids.Length > ids.Length)
            {
                int grown = Math.Max(ids.Length * 2, n + pieces.Ids.Length);
                Array.Resize(ref ids, grown);
                Array.Resize(ref starts, grown);
                Array.Resize(ref ends, grown);
            }
            int last = pieces.Ids.Length - 1, from = 0;
            for (int p = 0; p <= last; p++)
            {
                int to = pieces.Ends[p];
                ids[n] = pieces.Ids[p];
                // The first and last pieces take the word's whole original span, so characters that normalization
                // dropped at the word's edges (combining marks, format characters) stay inside the answer slice.
                starts[n] = p == 0 ? word.OriginalStart : basic.OriginalStart(word.BufferStart + from);
                ends[n] = p == last ? word.OriginalEnd : basic.OriginalEnd(word.BufferStart + to - 1);
                n++;
                from = to;
            }
        }
        Array.Resize(ref ids, n);
        Array.Resize(ref starts, n);
        Array.Resize(ref ends, n);
        return new TokenizedText(text, ids, starts, ends);
    }

    WordPieces Pieces(ReadOnlySpan<char> word)
    {
        if (_lookup.TryGetValue(word, out WordPieces? cached)) return cached;
        // WordPiece only: the word is already normalized and free of spaces and punctuation.
        IReadOnlyList<EncodedToken> tokens = Tokenizer.EncodeToTokens(word, out _, considerPreTokenization: false, considerNormalization: false);
        var ids = new int[tokens.Count];
        var ends = new int[tokens.Count];
        for (int i = 0; i < tokens.Count; i++)
        {
            ids[i] = tokens[i].Id;
            ends[i] = tokens[i].Offset.End.GetOffset(word.Length);
        }
        if (tokens.Count > 0) ends[^1] = word.Length;
        var pieces = new WordPieces(ids, ends);
        if (_cache.Count >= MaxCachedWords) _cache.Clear();
        _cache.TryAdd(word.ToString(), pieces);
        return pieces;
    }

    /// <summary>WordPiece ids of one word and where each piece ends in the word.</summary>
    sealed record WordPieces(int[] Ids, int[] Ends);
}
