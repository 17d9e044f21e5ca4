namespace DistillML.Text.Squad;

/// <summary>
/// SQuAD's <c>answer_start</c> counts Unicode code points (Python string indices); .NET strings index UTF-16 code
/// units. The two differ only after a character outside the Basic Multilingual Plane (a surrogate pair).
/// </summary>
internal static class CodePointOffsets
{
    /// <summary>The UTF-16 index of code point number <paramref name="codePoints"/>, or -1 when the text is shorter.</summary>
    public static int ToUtf16(string text, int codePoints)
    {
        if (!HasSurrogates(text)) return codePoints <= text.Length ? codePoints : -1;
        int index = 0;
        for (int n = 0; n < codePoints; n++)
        {
            if (index >= text.Length) return -1;
            index += char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]) ? 2 : 1;
        }
        return index;
    }

    /// <summary>The code-point index of UTF-16 index <paramref name="utf16Index"/> (the inverse of <see cref="ToUtf16"/>).</summary>
    public static int FromUtf16(string text, int utf16Index)
    {
        if (!HasSurrogates(text)) return utf16Index;
        int codePoints = 0;
        for (int i = 0; i < utf16Index; i++)
            if (!(char.IsLowSurrogate(text[i]) && i > 0 && char.IsHighSurrogate(text[i - 1]))) codePoints++;
        return codePoints;
    }

    /// <summary>The number of code points in the text.</summary>
    public static int Length(string text) => FromUtf16(text, text.Length);

    static bool HasSurrogates(string text) => text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0;
}
