using DistillML.Text.Squad;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DistillML;

/// <summary>Question-answering operations on an <see cref="MLContext"/> (<c>mlContext.QuestionAnswering()</c>).</summary>
public sealed class QuestionAnsweringCatalog
{
    internal QuestionAnsweringCatalog() { }

    /// <summary>
    /// The official SQuAD metrics of scored data (the output of a question-answering transformer): v2.0 (HasAns/NoAns,
    /// best thresholds from the no-answer probabilities) when any question is unanswerable, otherwise v1.1.
    /// </summary>
    /// <param name="data">Rows with gold answers and predictions.</param>
    /// <param name="predictedAnswerColumnName">Predicted answer (text).</param>
    /// <param name="noAnswerProbabilityColumnName">No-answer probability (Single or Double); optional (used for v2.0 thresholds).</param>
    /// <param name="idColumnName">Question id (text); optional, rows are numbered without it.</param>
    /// <param name="answersColumnName">Gold answers (vector of text).</param>
    /// <param name="answerStartsColumnName">Gold answer offsets (vector of Int32).</param>
    /// <param name="isImpossibleColumnName">Unanswerable flag (Boolean); optional: an empty answer list also means unanswerable.</param>
    /// <exception cref="ArgumentException">A required column is missing (named in the message).</exception>
    /// <exception cref="InvalidOperationException">A column has the wrong type.</exception>
    public SquadMetrics Evaluate(IDataView data, string predictedAnswerColumnName = "PredictedAnswer", string noAnswerProbabilityColumnName = "NoAnswerProbability",
        string idColumnName = SquadColumnNames.Id, string answersColumnName = SquadColumnNames.Answers, string answerStartsColumnName = SquadColumnNames.AnswerStarts,
        string isImpossibleColumnName = SquadColumnNames.IsImpossible)
    {
        ArgumentNullException.ThrowIfNull(data);
        var schema = data.Schema;
        var predicted = schema.GetColumnOrNull(predictedAnswerColumnName)
            ?? throw new ArgumentException($"The data has no column '{predictedAnswerColumnName}' (text); score it with a question-answering transformer first, or name the column.", nameof(predictedAnswerColumnName));
        if (predicted.Type is not TextDataViewType) throw new InvalidOperationException($"Column '{predictedAnswerColumnName}' must be text but is {predicted.Type}.");
        var probability = schema.GetColumnOrNull(noAnswerProbabilityColumnName);
        if (probability is { } p && p.Type != NumberDataViewType.Single && p.Type != NumberDataViewType.Double)
            throw new InvalidOperationException($"Column '{noAnswerProbabilityColumnName}' must be Single or Double but is {p.Type}.");

        // The gold side through the shared reader: it checks the label columns and their types.
        var columns = new QaColumns(idColumnName, "", "", answersColumnName, answerStartsColumnName, isImpossibleColumnName, "", "", "");
        var gold = ReadGold(data, columns);
        var texts = new Dictionary<string, string>(gold.Count);
        var probabilities = new Dictionary<string, double>(gold.Count);
        using (var cursor = data.GetRowCursor(probability is { } pc ? [predicted, pc] : [predicted]))
        {
            var getText = cursor.GetGetter<ReadOnlyMemory<char>>(predicted);
            ValueGetter<float>? getSingle = probability?.Type == NumberDataViewType.Single ? cursor.GetGetter<float>(probability.Value) : null;
            ValueGetter<double>? getDouble = probability?.Type == NumberDataViewType.Double ? cursor.GetGetter<double>(probability.Value) : null;
            ReadOnlyMemory<char> text = default;
            float single = 0;
            double value = 0;
            int row = 0;
            while (cursor.MoveNext() && row < gold.Count)
            {
                getText(ref text);
                texts[gold[row].Id] = text.ToString();
                if (getSingle is not null) { getSingle(ref single); probabilities[gold[row].Id] = single; }
                if (getDouble is not null) { getDouble(ref value); probabilities[gold[row].Id] = value; }
                row++;
            }
        }
        bool version2 = gold.Any(e => e.IsImpossible || e.Answers.Count == 0);
        return version2
            ? SquadMetric.Evaluate(gold, texts, probability is null ? null : probabilities)
            : SquadMetric.EvaluateV1(gold, texts);
    }

    private static List<SquadExample> ReadGold(IDataView data, QaColumns c)
    {
        var schema = data.Schema;
        var answers = schema.GetColumnOrNull(c.Answers)
            ?? throw new ArgumentException($"The data has no column '{c.Answers}' (vector of text) with the gold answers; pass its name as answersColumnName.", "answersColumnName");
        var starts = schema.GetColumnOrNull(c.AnswerStarts)
            ?? throw new ArgumentException($"The data has no column '{c.AnswerStarts}' (vector of Int32) with the gold offsets; pass its name as answerStartsColumnName.", "answerStartsColumnName");
        if (answers.Type is not VectorDataViewType { ItemType: TextDataViewType }) throw new InvalidOperationException($"Column '{c.Answers}' must be a vector of text but is {answers.Type}.");
        if (starts.Type is not VectorDataViewType vs || vs.ItemType != NumberDataViewType.Int32) throw new InvalidOperationException($"Column '{c.AnswerStarts}' must be a vector of Int32 but is {starts.Type}.");
        var id = schema.GetColumnOrNull(c.Id);
        if (id is { } idc && idc.Type is not TextDataViewType) throw new InvalidOperationException($"Column '{c.Id}' must be text but is {idc.Type}.");
        var impossible = schema.GetColumnOrNull(c.IsImpossible);
        if (impossible is { } ic && ic.Type != BooleanDataViewType.Instance) throw new InvalidOperationException($"Column '{c.IsImpossible}' must be Boolean but is {ic.Type}.");

        var active = new[] { id, answers, starts, impossible }.Where(x => x is not null).Select(x => x!.Value).ToList();
        using var cursor = data.GetRowCursor(active);
        var getId = id is { } i ? cursor.GetGetter<ReadOnlyMemory<char>>(i) : null;
        var getAnswers = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(answers);
        var getStarts = cursor.GetGetter<VBuffer<int>>(starts);
        var getImpossible = impossible is { } im ? cursor.GetGetter<bool>(im) : null;
        var list = new List<SquadExample>();
        ReadOnlyMemory<char> idValue = default;
        VBuffer<ReadOnlyMemory<char>> answerValues = default;
        VBuffer<int> startValues = default;
        while (cursor.MoveNext())
        {
            getId?.Invoke(ref idValue);
            getAnswers(ref answerValues);
            getStarts(ref startValues);
            string rowId = getId is null ? cursor.Position.ToString(System.Globalization.CultureInfo.InvariantCulture) : idValue.ToString();
            var texts = answerValues.DenseValues().ToArray();
            var offsets = startValues.DenseValues().ToArray();
            if (texts.Length != offsets.Length)
                throw new InvalidOperationException($"Row '{rowId}': column '{c.Answers}' has {texts.Length} values but '{c.AnswerStarts}' has {offsets.Length}.");
            bool isImpossible = texts.Length == 0;
            getImpossible?.Invoke(ref isImpossible);
            list.Add(new SquadExample(rowId, "", "", "", texts.Select((t, k) => new SquadAnswer(t.ToString(), offsets[k])).ToList(), isImpossible));
        }
        return list;
    }
}
