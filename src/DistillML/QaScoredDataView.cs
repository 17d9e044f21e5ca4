using Microsoft.ML;
using Microsoft.ML.Data;

namespace DistillML;

/// <summary>
/// The output of a question-answering transformer: every input column, then the answer, score and no-answer
/// probability columns (which hide input columns of the same names, as ML.NET's transforms do).
/// </summary>
/// <remarks>
/// A question's windows must be scored together and windows batch best across questions, so the outputs are not
/// computed row by row: the first cursor that asks for an output column reads the question and context columns of
/// the whole input once, answers every row in batches and keeps the results by row position (a few bytes per row);
/// later cursors reuse them. Cursors that need only input columns never run the model. Input columns are passed
/// through from the input's own cursor, so they keep their types and annotations. Rows are in input order; the view
/// cannot shuffle (shuffle its input instead).
/// </remarks>
internal sealed class QaScoredDataView : IDataView
{
    private readonly IDataView input;
    private readonly Func<IDataView, QaPredictions> score;
    private readonly object scoring = new();
    private QaPredictions? predictions;
    private readonly int firstOutput;

    public QaScoredDataView(IDataView input, QaColumns columns, Func<IDataView, QaPredictions> score)
    {
        this.input = input;
        this.score = score;
        Schema = OutputSchema(input.Schema, columns);
        firstOutput = input.Schema.Count;
    }

    public static DataViewSchema OutputSchema(DataViewSchema input, QaColumns columns)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        builder.AddColumn(columns.PredictedAnswer, TextDataViewType.Instance);
        builder.AddColumn(columns.Score, NumberDataViewType.Single);
        builder.AddColumn(columns.NoAnswerProbability, NumberDataViewType.Single);
        return builder.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToList();
        var inputColumns = needed.Where(c => c.Index < firstOutput).Select(c => input.Schema[c.Index]).ToList();
        var outputs = needed.Where(c => c.Index >= firstOutput).Select(c => c.Index - firstOutput).ToHashSet();
        var scored = outputs.Count > 0 ? Predictions() : null;
        return new Cursor(this, input.GetRowCursor(inputColumns), outputs, scored);
    }

    // Scores once, under a lock; a failed scoring (cancelled, disposed transformer, bad row) is not kept, so the next
    // cursor tries again and reports its own error instead of replaying the first one forever.
    private QaPredictions Predictions()
    {
        lock (scoring) return predictions ??= score(input);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(QaScoredDataView view, DataViewRowCursor inner, HashSet<int> outputs, QaPredictions? scored) : DataViewRowCursor
    {
        public override DataViewSchema Schema => view.Schema;

        public override long Position => inner.Position;

        public override long Batch => inner.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => inner.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => column.Index < view.firstOutput
            ? inner.IsColumnActive(view.input.Schema[column.Index])
            : outputs.Contains(column.Index - view.firstOutput);

        public override bool MoveNext() => inner.MoveNext();

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index < view.firstOutput) return inner.GetGetter<TValue>(view.input.Schema[column.Index]);
            int output = column.Index - view.firstOutput;
            if (!outputs.Contains(output)) throw new InvalidOperationException($"Column '{column.Name}' was not requested when this cursor was made.");
            Delegate getter = output switch
            {
                0 => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> v) => v = scored!.Answers[Row()].AsMemory()),
                1 => (ValueGetter<float>)((ref float v) => v = scored!.Scores[Row()]),
                _ => (ValueGetter<float>)((ref float v) => v = scored!.NoAnswerProbabilities[Row()]),
            };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}; it cannot be read as {typeof(TValue).Name}.");
        }

        private int Row() => inner.Position >= 0 && inner.Position < scored!.Answers.Length
            ? (int)inner.Position
            : throw new InvalidOperationException($"Row {inner.Position} was not scored: the input returned more rows than when it was scored (is it deterministic?).");

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
