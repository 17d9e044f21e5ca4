using DistillML.Text.Squad;

namespace DistillML;

/// <summary>
/// Column names a question-answering transformer reads and writes. The input defaults are those of
/// <c>mlContext.Data.LoadFromSquadJson</c> (<see cref="SquadColumnNames"/>).
/// </summary>
public class QaColumnOptions
{
    /// <summary>Question id (text). Optional on input: rows without it are numbered. Default "Id".</summary>
    public string IdColumnName { get; set; } = SquadColumnNames.Id;
    /// <summary>The paragraph (text). Default "Context".</summary>
    public string ContextColumnName { get; set; } = SquadColumnNames.Context;
    /// <summary>The question (text). Default "Question".</summary>
    public string QuestionColumnName { get; set; } = SquadColumnNames.Question;
    /// <summary>Gold answer texts (vector of text); read for training and evaluation. Default "Answers".</summary>
    public string AnswersColumnName { get; set; } = SquadColumnNames.Answers;
    /// <summary>Gold answer offsets (vector of Int32, parallel to the answers). Default "AnswerStarts".</summary>
    public string AnswerStartsColumnName { get; set; } = SquadColumnNames.AnswerStarts;
    /// <summary>Unanswerable flag (Boolean); optional. Default "IsImpossible".</summary>
    public string IsImpossibleColumnName { get; set; } = SquadColumnNames.IsImpossible;
    /// <summary>Output: the predicted answer (text; "" for "no answer"). Default "PredictedAnswer".</summary>
    public string PredictedAnswerColumnName { get; set; } = "PredictedAnswer";
    /// <summary>Output: the answer's score, start + end logit (Single). Default "Score".</summary>
    public string ScoreColumnName { get; set; } = "Score";
    /// <summary>Output: the probability that the question has no answer in the context (Single). Default "NoAnswerProbability".</summary>
    public string NoAnswerProbabilityColumnName { get; set; } = "NoAnswerProbability";

    internal QaColumns Columns() => new(IdColumnName, ContextColumnName, QuestionColumnName, AnswersColumnName, AnswerStartsColumnName,
        IsImpossibleColumnName, PredictedAnswerColumnName, ScoreColumnName, NoAnswerProbabilityColumnName);
}

/// <summary>An immutable copy of <see cref="QaColumnOptions"/>, kept by transformers and written to manifests.</summary>
/// <param name="Id">Question id column.</param>
/// <param name="Context">Context column.</param>
/// <param name="Question">Question column.</param>
/// <param name="Answers">Gold answers column.</param>
/// <param name="AnswerStarts">Gold answer offsets column.</param>
/// <param name="IsImpossible">Unanswerable flag column.</param>
/// <param name="PredictedAnswer">Output answer column.</param>
/// <param name="Score">Output score column.</param>
/// <param name="NoAnswerProbability">Output no-answer probability column.</param>
public sealed record QaColumns(string Id, string Context, string Question, string Answers, string AnswerStarts, string IsImpossible,
    string PredictedAnswer, string Score, string NoAnswerProbability)
{
    /// <summary>The defaults of <see cref="QaColumnOptions"/>.</summary>
    public static QaColumns Default { get; } = new QaColumnOptions().Columns();
}
