using Microsoft.ML;
using Microsoft.ML.Data;

namespace DistillML.Text.Squad;

/// <summary>Turns a SQuAD <see cref="IDataView"/> back into <see cref="SquadExample"/>s.</summary>
public static class SquadDataView
{
    /// <summary>
    /// Reads the rows of a view with the SQuAD columns (<see cref="SquadColumnNames"/>) as examples, in row order.
    /// Id, Context, Question (text), Answers (vector of text) and AnswerStarts (vector of Int32) are required;
    /// Title (text) and IsImpossible (Boolean) are optional (defaults: empty, and "no answers"). Other columns are
    /// ignored. Consecutive rows with the same context share one string.
    /// </summary>
    /// <param name="data">The view.</param>
    /// <exception cref="ArgumentException">A required column is missing or a column has the wrong type; the message
    /// names the column, the type expected and the type found.</exception>
    /// <exception cref="InvalidOperationException">A row's Answers and AnswerStarts differ in length (names the row's id).</exception>
    public static IEnumerable<SquadExample> ToExamples(IDataView data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var schema = data.Schema;
        var columns = new List<DataViewSchema.Column>
        {
            Require(schema, SquadColumnNames.Id, IsText, "text"),
            Require(schema, SquadColumnNames.Context, IsText, "text"),
            Require(schema, SquadColumnNames.Question, IsText, "text"),
            Require(schema, SquadColumnNames.Answers, t => t is VectorDataViewType v && IsText(v.ItemType), "vector of text"),
            Require(schema, SquadColumnNames.AnswerStarts, t => t is VectorDataViewType v && v.ItemType == NumberDataViewType.Int32, "vector of Int32"),
        };
        var title = Optional(schema, SquadColumnNames.Title, IsText, "text");
        var impossible = Optional(schema, SquadColumnNames.IsImpossible, t => t == BooleanDataViewType.Instance, "Boolean");
        if (title is { } t) columns.Add(t);
        if (impossible is { } i) columns.Add(i);
        return Rows(data, columns, title, impossible);
    }

    static IEnumerable<SquadExample> Rows(IDataView data, List<DataViewSchema.Column> columns,
        DataViewSchema.Column? titleColumn, DataViewSchema.Column? impossibleColumn)
    {
        using var cursor = data.GetRowCursor(columns);
        var id = cursor.GetGetter<ReadOnlyMemory<char>>(columns[0]);
        var context = cursor.GetGetter<ReadOnlyMemory<char>>(columns[1]);
        var question = cursor.GetGetter<ReadOnlyMemory<char>>(columns[2]);
        var answers = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(columns[3]);
        var starts = cursor.GetGetter<VBuffer<int>>(columns[4]);
        var title = titleColumn is { } tc ? cursor.GetGetter<ReadOnlyMemory<char>>(tc) : null;
        var impossible = impossibleColumn is { } ic ? cursor.GetGetter<bool>(ic) : null;

        ReadOnlyMemory<char> idValue = default, contextValue = default, questionValue = default, titleValue = default;
        VBuffer<ReadOnlyMemory<char>> answerValues = default;
        VBuffer<int> startValues = default;
        string lastContext = "";
        while (cursor.MoveNext())
        {
            id(ref idValue);
            context(ref contextValue);
            question(ref questionValue);
            answers(ref answerValues);
            starts(ref startValues);
            string rowId = idValue.ToString();
            var texts = answerValues.DenseValues().ToArray();
            var offsets = startValues.DenseValues().ToArray();
            if (texts.Length != offsets.Length)
                throw new InvalidOperationException(
                    $"Row '{rowId}': column '{SquadColumnNames.Answers}' has {texts.Length} values but '{SquadColumnNames.AnswerStarts}' has {offsets.Length}.");
            if (!contextValue.Span.SequenceEqual(lastContext)) lastContext = contextValue.ToString();
            title?.Invoke(ref titleValue);
            bool isImpossible = texts.Length == 0;
            impossible?.Invoke(ref isImpossible);
            var gold = new SquadAnswer[texts.Length];
            for (int k = 0; k < gold.Length; k++) gold[k] = new SquadAnswer(texts[k].ToString(), offsets[k]);
            yield return new SquadExample(rowId, titleValue.ToString(), lastContext, questionValue.ToString(), gold, isImpossible);
        }
    }

    static bool IsText(DataViewType type) => type is TextDataViewType;

    static DataViewSchema.Column Require(DataViewSchema schema, string name, Func<DataViewType, bool> ok, string expected) =>
        Optional(schema, name, ok, expected)
        ?? throw new ArgumentException($"The data has no column '{name}' ({expected}); SQuAD data needs {SquadColumnNames.Id}, " +
            $"{SquadColumnNames.Context}, {SquadColumnNames.Question}, {SquadColumnNames.Answers} and {SquadColumnNames.AnswerStarts}.", "data");

    static DataViewSchema.Column? Optional(DataViewSchema schema, string name, Func<DataViewType, bool> ok, string expected)
    {
        if (schema.GetColumnOrNull(name) is not { } column) return null;
        if (!ok(column.Type))
            throw new ArgumentException($"Column '{name}' must be {expected} but is {column.Type}.", "data");
        return column;
    }
}
