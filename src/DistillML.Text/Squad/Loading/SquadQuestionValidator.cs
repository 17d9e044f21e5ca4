namespace DistillML.Text.Squad;

/// <summary>
/// Checks one question as read and turns it into a <see cref="SquadExample"/>: id present, non-empty and unique;
/// question present and not blank; answers present; every answer's text non-empty and found at its
/// <c>answer_start</c> (a non-negative code-point offset inside the context); <c>is_impossible</c> consistent with
/// the answers. Answer offsets are converted from code points to UTF-16 indices.
/// </summary>
internal static class SquadQuestionValidator
{
    /// <summary>The example, or null with the first problem found.</summary>
    public static SquadExample? Validate(string title, RawParagraph paragraph, RawQuestion q,
        Dictionary<string, long> seenIds, out Pending? problem)
    {
        problem = Check(paragraph, q, seenIds, out var answers);
        if (q.Id is { Length: > 0 } id) seenIds.TryAdd(id, q.Where.Line);
        return problem is null
            ? new SquadExample(q.Id!, title, paragraph.Context!, q.Question!, answers!, q.IsImpossible)
            : null;
    }

    static Pending? Check(RawParagraph paragraph, RawQuestion q, Dictionary<string, long> seenIds, out SquadAnswer[]? answers)
    {
        answers = null;
        if (q.Problem is not null) return q.Problem;
        if (q.Id is null) return new Pending("id", null, "missing field 'id'", q.Where);
        if (q.Id.Length == 0) return new Pending("id", "\"\"", "the question id is empty", q.Where);
        if (seenIds.TryGetValue(q.Id, out long firstLine))
            return new Pending("id", SquadText.Quote(q.Id), $"duplicate question id (first used on line {firstLine})", q.Where);
        if (q.Question is null) return new Pending("question", null, "missing field 'question'", q.Where);
        if (string.IsNullOrWhiteSpace(q.Question)) return new Pending("question", SquadText.Quote(q.Question), "the question is empty", q.Where);
        if (paragraph.Context is null) return new Pending("context", null, "missing field 'context' in the question's paragraph", paragraph.Where);
        if (q.Answers is null) return new Pending("answers", null, "missing field 'answers'", q.Where);
        if (q.IsImpossible && q.Answers.Count > 0)
            return new Pending("is_impossible", "true", $"the question is marked impossible but has {q.Answers.Count} answer(s)", q.Where);
        if (!q.IsImpossible && q.Answers.Count == 0)
            return new Pending("answers", "[]", "the question has no answers and is not marked is_impossible", q.Where);

        var result = new SquadAnswer[q.Answers.Count];
        for (int i = 0; i < result.Length; i++)
        {
            var a = q.Answers[i];
            if (CheckAnswer(paragraph.Context, a, i, out int utf16Start) is { } bad) return bad;
            result[i] = new SquadAnswer(a.Text!, utf16Start);
        }
        answers = result;
        return null;
    }

    static Pending? CheckAnswer(string context, RawAnswer a, int index, out int utf16Start)
    {
        utf16Start = -1;
        if (a.Text is null) return new Pending("text", null, $"missing field 'text' in answer #{index}", a.Where);
        if (a.Text.Length == 0) return new Pending("text", "\"\"", $"answer #{index} has empty text", a.Where);
        if (a.Start is not { } start) return new Pending("answer_start", null, $"missing field 'answer_start' in answer #{index}", a.Where);
        if (start < 0) return new Pending("answer_start", a.StartText, $"answer #{index} has a negative offset", a.StartWhere);
        utf16Start = CodePointOffsets.ToUtf16(context, start);
        if (utf16Start < 0 || utf16Start + a.Text.Length > context.Length)
            return new Pending("answer_start", a.StartText,
                $"answer #{index} {SquadText.Quote(a.Text)} does not fit in the context ({CodePointOffsets.Length(context)} characters)", a.StartWhere);
        if (string.CompareOrdinal(context, utf16Start, a.Text, 0, a.Text.Length) != 0)
        {
            string found = context.Substring(utf16Start, a.Text.Length);
            int elsewhere = context.IndexOf(a.Text, StringComparison.Ordinal);
            string hint = elsewhere < 0 ? "it does not occur in the context" : $"it occurs at offset {CodePointOffsets.FromUtf16(context, elsewhere)}";
            return new Pending("answer_start", a.StartText,
                $"answer #{index} {SquadText.Quote(a.Text)} is not at this offset of the context, which reads {SquadText.Quote(found)} there; {hint}", a.StartWhere);
        }
        return null;
    }
}
