using Microsoft.ML.Data;

namespace DistillML.Text.Squad;

/// <summary>
/// One row of a SQuAD <c>IDataView</c>, in the shape ML.NET's <c>LoadFromEnumerable</c> and
/// <c>CreateEnumerable</c> use: text columns, two variable-length vectors for the answers, a Boolean.
/// </summary>
public sealed class SquadDataRow
{
    /// <summary>Question id.</summary>
    public string Id { get; set; } = "";

    /// <summary>Article title.</summary>
    public string Title { get; set; } = "";

    /// <summary>The paragraph.</summary>
    public string Context { get; set; } = "";

    /// <summary>The question.</summary>
    public string Question { get; set; } = "";

    /// <summary>Gold answer texts; empty when unanswerable.</summary>
    [VectorType]
    public string[] Answers { get; set; } = [];

    /// <summary>Gold answer offsets (UTF-16 indices into <see cref="Context"/>), parallel to <see cref="Answers"/>.</summary>
    [VectorType]
    public int[] AnswerStarts { get; set; } = [];

    /// <summary>True for unanswerable questions.</summary>
    public bool IsImpossible { get; set; }

    /// <summary>The row of an example.</summary>
    public static SquadDataRow From(SquadExample example) => new()
    {
        Id = example.Id,
        Title = example.Title,
        Context = example.Context,
        Question = example.Question,
        Answers = example.Answers.Select(a => a.Text).ToArray(),
        AnswerStarts = example.Answers.Select(a => a.Start).ToArray(),
        IsImpossible = example.IsImpossible,
    };
}
