namespace DistillML.Text.Features;

/// <summary>
/// A text as BERT WordPiece tokens (no [CLS]/[SEP]) with, for every token, its character span in the original text.
/// </summary>
public sealed class TokenizedText
{
    internal TokenizedText(string text, int[] ids, int[] starts, int[] ends)
    {
        Text = text;
        IdArray = ids;
        Starts = starts;
        Ends = ends;
    }

    /// <summary>The original text the spans refer to.</summary>
    public string Text { get; }

    /// <summary>Token ids in the vocabulary.</summary>
    public IReadOnlyList<int> Ids => IdArray;

    /// <summary>Number of tokens.</summary>
    public int Count => IdArray.Length;

    internal int[] IdArray { get; }
    internal int[] Starts { get; }
    internal int[] Ends { get; }

    /// <summary>Character span of token <paramref name="index"/> in <see cref="Text"/>.</summary>
    public CharSpan Span(int index) => new(Starts[index], Ends[index]);

    /// <summary>The original characters behind token <paramref name="index"/> (accents and case as in <see cref="Text"/>).</summary>
    public string Slice(int index) => Text[Starts[index]..Ends[index]];
}
