namespace DistillML.Text.Squad;

/// <summary>A position in a JSON file: one-based line and zero-based absolute byte offset.</summary>
internal readonly record struct JsonPos(long Line, long Byte);

/// <summary>A problem found while reading, before the question id is known.</summary>
internal sealed record Pending(string Field, string? Value, string Description, JsonPos? Where);

/// <summary>A paragraph as read, not yet validated.</summary>
internal sealed class RawParagraph(JsonPos where)
{
    public JsonPos Where { get; } = where;
    public string? Context;
    public List<RawQuestion>? Questions;
    public Pending? Problem;
}

/// <summary>A question as read, not yet validated.</summary>
internal sealed class RawQuestion(JsonPos where)
{
    public JsonPos Where { get; } = where;
    public string? Id;
    public string? Question;
    public List<RawAnswer>? Answers;
    public bool IsImpossible;
    public Pending? Problem;
}

/// <summary>An answer as read, not yet validated; <see cref="Start"/> counts code points, as in the file.</summary>
internal sealed class RawAnswer(JsonPos where)
{
    public JsonPos Where { get; } = where;
    public string? Text;
    public int? Start;
    public string? StartText;
    public JsonPos StartWhere;
}
