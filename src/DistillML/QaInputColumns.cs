using DistillML.Text.Squad;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DistillML;

/// <summary>Checks and reads the question-answering input columns of a view or of a schema shape; every error names the column.</summary>
internal static class QaInputColumns
{
    private enum Need { Required, Optional }

    private static IEnumerable<(string Name, string Option, Need Need, string Expected, Func<DataViewType, bool> Scalar, Func<DataViewType, bool>? Vector)> Specs(QaColumns c, bool labels)
    {
        yield return (c.Id, nameof(QaColumnOptions.IdColumnName), Need.Optional, "text", t => t is TextDataViewType, null);
        yield return (c.Context, nameof(QaColumnOptions.ContextColumnName), Need.Required, "text", t => t is TextDataViewType, null);
        yield return (c.Question, nameof(QaColumnOptions.QuestionColumnName), Need.Required, "text", t => t is TextDataViewType, null);
        var answers = labels ? Need.Required : Need.Optional;
        yield return (c.Answers, nameof(QaColumnOptions.AnswersColumnName), answers, "vector of text", _ => false, t => t is TextDataViewType);
        yield return (c.AnswerStarts, nameof(QaColumnOptions.AnswerStartsColumnName), answers, "vector of Int32", _ => false, t => t == NumberDataViewType.Int32);
        yield return (c.IsImpossible, nameof(QaColumnOptions.IsImpossibleColumnName), Need.Optional, "Boolean", t => t == BooleanDataViewType.Instance, null);
    }

    /// <summary>Validates <paramref name="schema"/>.</summary>
    public static void Check(DataViewSchema schema, QaColumns c, bool labels)
    {
        foreach (var s in Specs(c, labels))
        {
            if (schema.GetColumnOrNull(s.Name) is not { } column) { Missing(s.Name, s.Option, s.Need, s.Expected, labels); continue; }
            bool ok = s.Vector is null ? s.Scalar(column.Type) : column.Type is VectorDataViewType v && s.Vector(v.ItemType);
            if (!ok) throw WrongType(s.Name, s.Expected, column.Type.ToString() ?? "?");
        }
    }

    /// <summary>Validates <paramref name="shape"/> (estimators' schema propagation).</summary>
    public static void Check(SchemaShape shape, QaColumns c, bool labels)
    {
        foreach (var s in Specs(c, labels))
        {
            var found = shape.LastOrDefault(col => col.Name == s.Name);
            if (found.Name is null) { Missing(s.Name, s.Option, s.Need, s.Expected, labels); continue; }
            var column = found;
            bool ok = s.Vector is null
                ? column.Kind == SchemaShape.Column.VectorKind.Scalar && s.Scalar(column.ItemType)
                : column.Kind != SchemaShape.Column.VectorKind.Scalar && s.Vector(column.ItemType);
            if (!ok) throw WrongType(s.Name, s.Expected, $"{column.Kind} of {column.ItemType}");
        }
    }

    private static void Missing(string name, string option, Need need, string expected, bool labels)
    {
        if (need == Need.Optional) return;
        throw new ArgumentException(
            $"The input has no column '{name}' ({expected}){(labels ? ", needed to train on the gold spans" : "")}. " +
            $"Load the data with mlContext.Data.LoadFromSquadJson or set {option} to the column's name.", option);
    }

    private static InvalidOperationException WrongType(string name, string expected, string found) =>
        new($"Column '{name}' must be {expected} but is {found}.");

    /// <summary>The rows as SQuAD examples, in row order; rows without an id column get their row number as id.</summary>
    public static List<SquadExample> Read(IDataView data, QaColumns c, bool labels)
    {
        Check(data.Schema, c, labels);
        var schema = data.Schema;
        var id = schema.GetColumnOrNull(c.Id);
        var context = schema[c.Context];
        var question = schema[c.Question];
        var answers = schema.GetColumnOrNull(c.Answers);
        var starts = schema.GetColumnOrNull(c.AnswerStarts);
        var impossible = schema.GetColumnOrNull(c.IsImpossible);
        bool withAnswers = answers is not null && starts is not null;
        var active = new[] { id, context, question, withAnswers ? answers : null, withAnswers ? starts : null, impossible }
            .Where(col => col is not null).Select(col => col!.Value).ToList();

        using var cursor = data.GetRowCursor(active);
        var getId = id is { } i ? cursor.GetGetter<ReadOnlyMemory<char>>(i) : null;
        var getContext = cursor.GetGetter<ReadOnlyMemory<char>>(context);
        var getQuestion = cursor.GetGetter<ReadOnlyMemory<char>>(question);
        var getAnswers = withAnswers ? cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(answers!.Value) : null;
        var getStarts = withAnswers ? cursor.GetGetter<VBuffer<int>>(starts!.Value) : null;
        var getImpossible = impossible is { } im ? cursor.GetGetter<bool>(im) : null;

        var examples = new List<SquadExample>();
        ReadOnlyMemory<char> idValue = default, contextValue = default, questionValue = default;
        VBuffer<ReadOnlyMemory<char>> answerValues = default;
        VBuffer<int> startValues = default;
        string lastContext = "";
        while (cursor.MoveNext())
        {
            getId?.Invoke(ref idValue);
            getContext(ref contextValue);
            getQuestion(ref questionValue);
            string rowId = getId is null ? cursor.Position.ToString(System.Globalization.CultureInfo.InvariantCulture) : idValue.ToString();
            if (!contextValue.Span.SequenceEqual(lastContext)) lastContext = contextValue.ToString();
            var gold = new List<SquadAnswer>();
            if (withAnswers)
            {
                getAnswers!(ref answerValues);
                getStarts!(ref startValues);
                var texts = answerValues.DenseValues().ToArray();
                var offsets = startValues.DenseValues().ToArray();
                if (texts.Length != offsets.Length)
                    throw new InvalidOperationException($"Row '{rowId}': column '{c.Answers}' has {texts.Length} values but '{c.AnswerStarts}' has {offsets.Length}.");
                for (int k = 0; k < texts.Length; k++) gold.Add(new SquadAnswer(texts[k].ToString(), offsets[k]));
            }
            bool isImpossible = withAnswers && gold.Count == 0;
            getImpossible?.Invoke(ref isImpossible);
            examples.Add(new SquadExample(rowId, "", lastContext, questionValue.ToString(), gold, isImpossible));
        }
        return examples;
    }
}
