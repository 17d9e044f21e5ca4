using System.Globalization;
using System.Text;

namespace DistillML.Text.Features;

/// <summary>
/// BERT's "basic tokenization" (Hugging Face <c>BasicTokenizer</c> / <c>BertNormalizer</c>), done here rather than by
/// Microsoft.ML.Tokenizers because we need character offsets into the ORIGINAL text.
/// </summary>
/// <remarks>
/// Microsoft.ML.Tokenizers 2.0.1's <c>BertTokenizer.EncodeToTokens</c> reports offsets into its <em>normalized</em> text.
/// They coincide with the original text only while normalization keeps every character: accents stripped from
/// precomposed letters ("Café") happen to keep the length, but a removed control or format character (a tab, a
/// zero-width space, U+FFFD) or a dropped combining mark ("z\u0301") shifts every later offset, so answer spans would be
/// sliced wrongly. This class therefore splits and normalizes the text itself while recording, for every normalized
/// character, the original characters it came from; only the WordPiece step of each word is left to the
/// <c>BertTokenizer</c> (see <see cref="BertTextEncoder"/>). The rules follow Hugging Face's slow <c>BasicTokenizer</c>:
/// drop U+0000, U+FFFD and control/format characters (category C* except \t \n \r); split on whitespace (\t \n \r, space,
/// category Zs); put every CJK ideograph in its own word; lower-case; NFD and drop non-spacing marks (Mn); make every
/// punctuation character (ASCII symbols and category P*) a word of its own.
/// Not thread-safe: use one instance per thread.
/// </remarks>
internal sealed class BasicTokenizer(bool lowerCase)
{
    char[] _chars = new char[256];
    int[] _origStart = new int[256];
    int[] _origEnd = new int[256];
    readonly List<BasicToken> _tokens = new(128);
    int _length;
    int _open = -1;          // buffer index where the open word starts, -1 when none
    int _openOrigStart, _openOrigEnd;
    readonly Dictionary<int, string> _decomposed = [];

    /// <summary>The words of the last <see cref="Split"/>.</summary>
    public IReadOnlyList<BasicToken> Tokens => _tokens;

    /// <summary>Normalized characters of a word.</summary>
    public ReadOnlySpan<char> Chars(BasicToken token) => _chars.AsSpan(token.BufferStart, token.BufferLength);

    /// <summary>Original offset of the first character behind normalized character <paramref name="bufferIndex"/>.</summary>
    public int OriginalStart(int bufferIndex) => _origStart[bufferIndex];

    /// <summary>Original offset one past the last character behind normalized character <paramref name="bufferIndex"/>.</summary>
    public int OriginalEnd(int bufferIndex) => _origEnd[bufferIndex];

    /// <summary>Splits <paramref name="text"/> into normalized words; read them from <see cref="Tokens"/>.</summary>
    public void Split(string text)
    {
        _tokens.Clear();
        _length = 0;
        _open = -1;
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c < 0x80)
            {
                // ASCII fast path: no accents, simple lower-casing.
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') Close();
                else if (c < 0x20 || c == 0x7F) { /* control: dropped, does not split */ }
                else if (IsAsciiPunctuation(c)) { Close(); AppendToWord(c, i, i + 1); Close(); }
                else
                {
                    if (lowerCase && c >= 'A' && c <= 'Z') c = (char)(c + 32);
                    AppendToWord(c, i, i + 1);
                }
                i++;
                continue;
            }

            if (Rune.DecodeFromUtf16(text.AsSpan(i), out Rune rune, out int consumed) != System.Buffers.OperationStatus.Done)
            {
                rune = Rune.ReplacementChar; // lone surrogate: treated like U+FFFD, i.e. dropped
                consumed = 1;
            }
            int start = i, end = i + consumed;
            i = end;
            UnicodeCategory category = Rune.GetUnicodeCategory(rune);
            if (rune.Value == 0xFFFD) continue;
            if (category == UnicodeCategory.SpaceSeparator) { Close(); continue; }
            if (IsOther(category)) continue;
            if (IsCjk(rune.Value)) { EmitWord(rune, start, end); continue; }
            NormalizeInto(rune, start, end);
        }
        Close();
    }

    void NormalizeInto(Rune rune, int start, int end)
    {
        ReadOnlySpan<char> normalized;
        if (lowerCase)
        {
            rune = Rune.ToLowerInvariant(rune);
            normalized = Decompose(rune);
        }
        else normalized = rune.ToString();

        bool any = false;
        while (!normalized.IsEmpty)
        {
            Rune.DecodeFromUtf16(normalized, out Rune r, out int used);
            normalized = normalized[used..];
            UnicodeCategory cat = Rune.GetUnicodeCategory(r);
            if (lowerCase && cat == UnicodeCategory.NonSpacingMark) continue;
            any = true;
            if (IsPunctuation(r, cat)) EmitWord(r, start, end);
            else AppendToWord(r, start, end);
        }
        // A character that normalizes to nothing (a stripped combining mark) still belongs to the open word,
        // so that the word's span covers it ("z\u0301" -> "z" spans both characters).
        if (!any && _open >= 0) _openOrigEnd = end;
    }

    /// <summary>NFD of one (lower-cased) character, cached per code point.</summary>
    string Decompose(Rune rune)
    {
        if (!_decomposed.TryGetValue(rune.Value, out string? d))
        {
            d = rune.ToString().Normalize(NormalizationForm.FormD);
            _decomposed[rune.Value] = d;
        }
        return d;
    }

    /// <summary>A word of its own (punctuation, CJK ideograph).</summary>
    void EmitWord(Rune r, int start, int end)
    {
        Close();
        AppendToWord(r, start, end);
        Close();
    }

    void AppendToWord(Rune r, int start, int end)
    {
        if (r.IsBmp) AppendToWord((char)r.Value, start, end);
        else
        {
            Span<char> pair = stackalloc char[2];
            r.EncodeToUtf16(pair);
            AppendToWord(pair[0], start, end);
            AppendToWord(pair[1], start, end);
        }
    }

    void AppendToWord(char c, int start, int end)
    {
        if (_open < 0) { _open = _length; _openOrigStart = start; }
        if (_length == _chars.Length)
        {
            Array.Resize(ref _chars, _length * 2);
            Array.Resize(ref _origStart, _length * 2);
            Array.Resize(ref _origEnd, _length * 2);
        }
        _chars[_length] = c;
        _origStart[_length] = start;
        _origEnd[_length] = end;
        _length++;
        _openOrigEnd = end;
    }

    void Close()
    {
        if (_open >= 0 && _length > _open)
            _tokens.Add(new BasicToken(_open, _length - _open, _openOrigStart, _openOrigEnd));
        _open = -1;
    }

    static bool IsOther(UnicodeCategory c) => c is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate;

    static bool IsAsciiPunctuation(int cp) => cp is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126;

    static bool IsPunctuation(Rune r, UnicodeCategory cat) => IsAsciiPunctuation(r.Value) || cat is
        UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
        or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
        or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;

    static bool IsCjk(int cp) => cp is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF
        or >= 0x2A700 and <= 0x2B73F or >= 0x2B740 and <= 0x2B81F or >= 0x2B820 and <= 0x2CEAF
        or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;
}

/// <summary>One word of <see cref="BasicTokenizer"/>: its normalized characters in the tokenizer's buffer and its original span.</summary>
internal readonly record struct BasicToken(int BufferStart, int BufferLength, int OriginalStart, int OriginalEnd);
