using System.Globalization;
using System.Text;

namespace DistillML.Text.Squad;

/// <summary>
/// The few Python 3 string semantics the official SQuAD scripts rely on, on Unicode code points:
/// <c>str.lower()</c>, <c>str.isspace()</c> (what <c>str.split()</c> splits on) and the <c>\w</c> of <c>re</c>.
/// </summary>
internal static class PythonText
{
    /// <summary>
    /// Python's <c>str.lower()</c>: the simple lower-case mapping per code point, plus the two rules that differ from
    /// it: U+0130 (capital I with dot) becomes "i" + U+0307, and capital sigma becomes final sigma (U+03C2) at the end
    /// of a word (a cased letter before it, none after it, case-ignorable characters skipped).
    /// </summary>
    public static string Lower(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length;)
        {
            var rune = Rune.GetRuneAt(text, i);
            if (rune.Value == 0x130) sb.Append("i\u0307");
            else if (rune.Value == 0x3A3) sb.Append(IsFinalSigma(text, i) ? '\u03C2' : '\u03C3');
            else sb.Append(Rune.ToLowerInvariant(rune).ToString());
            i += rune.Utf16SequenceLength;
        }
        return sb.ToString();
    }

    /// <summary>Python's <c>str.isspace()</c> for one code point (.NET's white space plus U+001C..U+001F).</summary>
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || c is >= '\x1C' and <= '\x1F';

    /// <summary>
    /// Python's <c>re</c> <c>\w</c> on str patterns: alphanumeric in Python's sense (letters Lu/Ll/Lt/Lm/Lo and
    /// numbers Nd/Nl/No) or underscore. Unlike .NET's <c>\w</c>, combining marks are not word characters.
    /// </summary>
    public static bool IsWordChar(Rune rune) =>
        rune.Value == '_' || Rune.GetUnicodeCategory(rune) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
            or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;

    static bool IsFinalSigma(string text, int index)
    {
        int j = index;
        Rune before = default;
        bool found = false;
        while (j > 0)
        {
            Rune.DecodeLastFromUtf16(text.AsSpan(0, j), out before, out int n);
            j -= n;
            if (!IsCaseIgnorable(before)) { found = true; break; }
        }
        if (!found || !IsCased(before)) return false;
        for (int k = index + 1; k < text.Length;)
        {
            var after = Rune.GetRuneAt(text, k);
            if (!IsCaseIgnorable(after)) return !IsCased(after);
            k += after.Utf16SequenceLength;
        }
        return true;
    }

    static bool IsCased(Rune r) => Rune.GetUnicodeCategory(r) is UnicodeCategory.UppercaseLetter
        or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter;

    static bool IsCaseIgnorable(Rune r) =>
        Rune.GetUnicodeCategory(r) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.Format or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol
        || r.Value is '\'' or '.' or ':' or 0xB7 or 0x387 or 0x55F or 0x5F4 or 0x2018 or 0x2019 or 0x2024 or 0x2027
            or 0xFE13 or 0xFE52 or 0xFE55 or 0xFF07 or 0xFF0E or 0xFF1A;
}
