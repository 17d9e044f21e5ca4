using DistillML.Text.Squad;

namespace Microsoft.ML;

/// <summary>
/// SQuAD loading on <c>mlContext.Data</c>. (Declared in the <c>Microsoft.ML</c> namespace, as ML.NET's own catalog
/// extensions are, so that <c>mlContext.Data.LoadFromSquadJson</c> needs no extra using.)
/// </summary>
public static class SquadDataOperationsExtensions
{
    /// <summary>
    /// Loads a SQuAD 1.1 or 2.0 JSON file (optionally gzip-compressed) as an <see cref="IDataView"/> with the columns
    /// of <see cref="SquadColumnNames"/>: Id, Title, Context, Question (text), Answers (variable-length text vector),
    /// AnswerStarts (variable-length Int32 vector, UTF-16 offsets) and IsImpossible (Boolean).
    /// </summary>
    /// <remarks>
    /// The file is read and validated once, now (so format errors surface here, not at the first cursor), and the
    /// examples are kept in memory; the view is ML.NET's <c>LoadFromEnumerable</c> over them, so every cursor is
    /// cheap and sees the same rows in file order.
    /// </remarks>
    /// <param name="catalog">The data catalog (<c>mlContext.Data</c>).</param>
    /// <param name="path">The SQuAD file.</param>
    /// <param name="options">What to do with invalid questions; null throws at the first.</param>
    /// <exception cref="SquadFormatException">The file is not valid SQuAD JSON.</exception>
    public static IDataView LoadFromSquadJson(this DataOperationsCatalog catalog, string path, SquadLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.LoadFromSquadExamples(SquadDataset.Load(path, options));
    }

    /// <summary>
    /// An <see cref="IDataView"/> with the SQuAD columns (see <see cref="LoadFromSquadJson"/>) over examples already
    /// in memory, for instance questions paired with other paragraphs to make unanswerable ones. The list is
    /// read, not copied, at every cursor.
    /// </summary>
    /// <param name="catalog">The data catalog (<c>mlContext.Data</c>).</param>
    /// <param name="examples">The examples.</param>
    public static IDataView LoadFromSquadExamples(this DataOperationsCatalog catalog, IReadOnlyList<SquadExample> examples)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(examples);
        // Select over a list re-enumerates cheaply: each cursor makes its rows on the fly.
        return catalog.LoadFromEnumerable(examples.Select(SquadDataRow.From));
    }
}
