namespace DistillML.Text.Features;

/// <summary>
/// Where the windows of a context start, as Hugging Face's fast tokenizers cut overflowing sequences
/// (<c>truncation="only_second", stride=doc_stride, return_overflowing_tokens=True</c>): windows of
/// <c>maxContextTokens</c> tokens, each starting <c>maxContextTokens - stride</c> after the previous one, the last one
/// being the first that reaches the end of the context.
/// </summary>
internal static class ContextWindows
{
    /// <summary>(first context token, count) of every window. An empty context gives one empty window.</summary>
    public static List<(int Start, int Length)> Split(int contextTokens, int maxContextTokens, int stride)
    {
        if (maxContextTokens <= stride)
            throw new ArgumentException($"Windows of {maxContextTokens} context tokens cannot overlap by {stride} tokens.");
        var windows = new List<(int, int)>(1 + Math.Max(0, contextTokens - stride) / (maxContextTokens - stride));
        int step = maxContextTokens - stride;
        for (int start = 0; ; start += step)
        {
            int length = Math.Min(maxContextTokens, contextTokens - start);
            windows.Add((start, length));
            if (start + length >= contextTokens) break;
        }
        return windows;
    }
}
