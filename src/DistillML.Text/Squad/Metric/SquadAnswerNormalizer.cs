using System.Text;

namespace DistillML.Text.Squad;

/// <summary>
/// The official SQuAD answer normalization (<c>normalize_answer</c> of the v1.1 and v2.0 evaluation scripts), with
/// Python 3's string semantics: lower-case (<c>str.lower</c>), remove the ASCII punctuation of
/// <c>string.punctuation</c>, replace the whole words a/an/the (<c>\b(a|an|the)\b</c>) with a space, and collapse
/// white space (<c>' '.join(text.split())</c>).
/// </summary>
public static class SquadAnswerNormalizer
{
    /// <summary>Python's <c>string.punctuation</c>.</summary>
    public const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    /// <summary>The normalized answer.</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return CollapseWhiteSpace(RemoveArticles(RemovePunctuation(PythonText.Lower(text))));
    }

    /// <summary>The normalized answer's tokens (<c>get_tokens</c>: the normalized text split on white space).</summary>
    public static string[] Tokens(string text)
    {
        string normalized = Normalize(text);
        return normalized.Length == 0 ? [] : normalized.Split(' ');
    }

    static string RemovePunctuation(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
            if (!Punctuation.Contains(c)) sb.Append(c);
        return sb.ToString();
    }

    // re.sub(r'\b(a|an|the)\b', ' ', text): a match is exactly a maximal run of word characters spelling a, an or the.
    static string RemoveArticles(string text)
    {
        var sb = new StringBuilder(text.Length);
        int i = 0;
        while (i < text.Length)
        {
            var rune = Rune.GetRuneAt(text, i);
            if (!PythonText.IsWordChar(rune))
            {
                sb.Append(text, i, rune.Utf16SequenceLength);
                i += rune.Utf16SequenceLength;
                continue;
            }
            int start = i;
            while (i < text.Length && PythonText.IsWordChar(rune = Rune.GetRuneAt(text, i))) i += rune.Utf16SequenceLength;
            var word = text.AsSpan(start, i - start);
            if (word is "a" or "an" or "the") sb.Append(' ');
            else sb.Append(word);
        }
        return sb.ToString();
    }

    static string CollapseWhiteSpace(string text)
    {
        var sb = new StringBuilder(text.Length);
        int i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && PythonText.IsSpace(text[i])) i++;
            if (i == text.Length) break;
            if (sb.Length > 0) sb.Append(' ');
            while (i < text.Length && !PythonText.IsSpace(text[i])) sb.Append(text[i++]);
        }
        return sb.ToString();
    }
}
