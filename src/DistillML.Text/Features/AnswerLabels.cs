namespace DistillML.Text.Features;

/// <summary>
/// Start/end token labels of one window, exactly as Hugging Face's <c>prepare_train_features</c>: when the window's
/// context tokens cover the answer's characters, the start label is the last context token starting at or before the
/// answer's first character and the end label the first token (from the right) ending at or after its last character;
/// otherwise both labels are 0, the [CLS] position.
/// </summary>
internal static class AnswerLabels
{
    public static (int Start, int End) Find(TokenizedText context, int windowStart, int windowLength, int contextStart,
        int answerStart, int answerEnd)
    {
        if (windowLength == 0) return (0, 0);
        int first = windowStart, last = windowStart + windowLength - 1;
        if (!(context.Starts[first] <= answerStart && context.Ends[last] >= answerEnd)) return (0, 0);
        int s = first;
        while (s <= last && context.Starts[s] <= answerStart) s++;
        int e = last;
        while (e >= first && context.Ends[e] >= answerEnd) e--;
        return (s - 1 - windowStart + contextStart, e + 1 - windowStart + contextStart);
    }
}
