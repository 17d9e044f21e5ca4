namespace DistillML.Text.Squad;

/// <summary>The column names of a SQuAD <c>IDataView</c> (see <see cref="SquadDataView"/>).</summary>
public static class SquadColumnNames
{
    /// <summary>Question id (text).</summary>
    public const string Id = "Id";

    /// <summary>Article title (text).</summary>
    public const string Title = "Title";

    /// <summary>The paragraph (text).</summary>
    public const string Context = "Context";

    /// <summary>The question (text).</summary>
    public const string Question = "Question";

    /// <summary>Gold answer texts (variable-length vector of text; empty when unanswerable).</summary>
    public const string Answers = "Answers";

    /// <summary>Gold answer offsets, UTF-16 indices into the context (variable-length vector of Int32, parallel to <see cref="Answers"/>).</summary>
    public const string AnswerStarts = "AnswerStarts";

    /// <summary>True for unanswerable SQuAD 2.0 questions (Boolean).</summary>
    public const string IsImpossible = "IsImpossible";
}
