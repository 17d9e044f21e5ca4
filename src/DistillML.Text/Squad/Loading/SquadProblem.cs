namespace DistillML.Text.Squad;

/// <summary>
/// One thing wrong with a SQuAD file: where it is, which question and field it concerns, and what is wrong.
/// Carried by <see cref="SquadFormatException"/> and collected in <see cref="SquadLoadOptions.Problems"/>.
/// </summary>
/// <param name="FilePath">The file being read.</param>
/// <param name="QuestionId">The question's <c>id</c>, or null when it is unknown (the problem concerns a whole
/// paragraph or article, or the question has no readable id).</param>
/// <param name="Field">The JSON field at fault (<c>data</c>, <c>paragraphs</c>, <c>qas</c>, <c>context</c>,
/// <c>question</c>, <c>id</c>, <c>answers</c>, <c>text</c>, <c>answer_start</c>, <c>is_impossible</c>, ...),
/// or <c>(json)</c> when the file is not well-formed JSON.</param>
/// <param name="Value">The offending value as text (shortened), or null when the field is missing.</param>
/// <param name="Description">What is wrong, in words.</param>
/// <param name="Line">One-based line of the offending JSON token, when known.</param>
/// <param name="BytePosition">Zero-based byte offset of the offending JSON token in the (decompressed) file, when known.</param>
public sealed record SquadProblem(
    string FilePath,
    string? QuestionId,
    string Field,
    string? Value,
    string Description,
    long? Line,
    long? BytePosition)
{
    /// <summary>The problem in one line: file, position, question id, field, value and description.</summary>
    public override string ToString()
    {
        string where = Line is { } line
            ? $" (line {line}{(BytePosition is { } b ? $", byte {b}" : "")})"
            : BytePosition is { } bp ? $" (byte {bp})" : "";
        string question = QuestionId is null ? "" : $" question '{QuestionId}':";
        string value = Value is null ? "" : $" = {Value}";
        return $"{FilePath}{where}:{question} field '{Field}'{value}: {Description}";
    }
}
