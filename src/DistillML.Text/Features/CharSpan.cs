namespace DistillML.Text.Features;

/// <summary>
/// A half-open character range [<see cref="Start"/>, <see cref="End"/>) in an original (un-normalized) text.
/// <see cref="None"/> (-1, -1) marks tokens that have no text behind them: [CLS], [SEP], [PAD] and question tokens in a window.
/// </summary>
/// <param name="Start">Offset of the first character.</param>
/// <param name="End">Offset one past the last character.</param>
public readonly record struct CharSpan(int Start, int End)
{
    /// <summary>The span of a token without characters in the context.</summary>
    public static CharSpan None => new(-1, -1);

    /// <summary>True for <see cref="None"/>.</summary>
    public bool IsNone => Start < 0;

    /// <summary>Number of characters covered (0 for <see cref="None"/>).</summary>
    public int Length => IsNone ? 0 : End - Start;
}
