using DistillML;
using DistillML.Torch;
using DistillML.Torch.Modeling;

namespace Microsoft.ML;

/// <summary>
/// DistillML's entry points on <see cref="MLContext"/>: <c>mlContext.Transforms.DistillBert</c>,
/// <c>mlContext.Transforms.BertQuestionAnswering</c>, <c>mlContext.QuestionAnswering().Evaluate</c> and
/// <c>mlContext.Model.SaveDistilled / LoadDistilled</c>. (Declared in the <c>Microsoft.ML</c> namespace, as ML.NET's own
/// catalog extensions are.)
/// </summary>
public static class DistillMLCatalogExtensions
{
    /// <summary>An estimator that distils <paramref name="teacher"/> into a student; see <see cref="DistillBertEstimator"/>.</summary>
    /// <param name="catalog">The transforms catalog (<c>mlContext.Transforms</c>).</param>
    /// <param name="teacher">A trained BERT/DistilBERT QA model whose <see cref="BertQaModel.VocabularyPath"/> is known.</param>
    /// <param name="options">Student, loss, optimisation, windows, columns; null for the defaults.</param>
    public static DistillBertEstimator DistillBert(this TransformsCatalog catalog, BertQaModel teacher, DistillBertOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        options ??= new DistillBertOptions();
        return new DistillBertEstimator(teacher, options, ContextSeed.Draw(ContextSeed.EnvironmentOf(catalog)));
    }

    /// <summary>
    /// An estimator that distils the teacher saved in <paramref name="teacherDirectory"/> (Hugging Face layout: config.json,
    /// model.safetensors, vocab.txt), checked now; each <c>Fit</c> loads the teacher and releases it when done.
    /// </summary>
    /// <param name="catalog">The transforms catalog (<c>mlContext.Transforms</c>).</param>
    /// <param name="teacherDirectory">The teacher's checkpoint directory.</param>
    /// <param name="options">Student, loss, optimisation, windows, columns; null for the defaults.</param>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    public static DistillBertEstimator DistillBert(this TransformsCatalog catalog, string teacherDirectory, DistillBertOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        options ??= new DistillBertOptions();
        return DistillBertEstimator.FromDirectory(teacherDirectory, options, ContextSeed.Draw(ContextSeed.EnvironmentOf(catalog)));
    }

    /// <summary>
    /// Plain question answering with <paramref name="model"/>, which stays the caller's: each <c>Fit</c> returns a new
    /// transformer over it that does not own it (disposing one leaves the model and the others usable). Same output
    /// columns as a distilled student.
    /// </summary>
    /// <param name="catalog">The transforms catalog (<c>mlContext.Transforms</c>).</param>
    /// <param name="model">Any BERT/DistilBERT QA model whose <see cref="BertQaModel.VocabularyPath"/> is known.</param>
    /// <param name="options">Windows, decoding and columns; null for the defaults.</param>
    public static BertQuestionAnsweringEstimator BertQuestionAnswering(this TransformsCatalog catalog, BertQaModel model, BertQuestionAnsweringOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        options ??= new BertQuestionAnsweringOptions();
        var columns = BertQaTransformer.Create(model, ownsModel: false, options).Columns; // checks the model and options now
        return new BertQuestionAnsweringEstimator(() => BertQaTransformer.Create(model, ownsModel: false, options), columns);
    }

    /// <summary>
    /// Plain question answering with the model in <paramref name="modelDirectory"/>: a Hugging Face QA checkpoint, or a
    /// directory written by <see cref="SaveDistilled"/> (whose manifest then supplies the settings). Each <c>Fit</c> loads
    /// the model and returns a transformer that owns it: dispose each one.
    /// </summary>
    /// <param name="catalog">The transforms catalog (<c>mlContext.Transforms</c>).</param>
    /// <param name="modelDirectory">The checkpoint directory.</param>
    /// <param name="options">Settings for a plain checkpoint; null for the defaults.</param>
    public static BertQuestionAnsweringEstimator BertQuestionAnswering(this TransformsCatalog catalog, string modelDirectory, BertQuestionAnsweringOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        if (!Directory.Exists(modelDirectory)) throw new DirectoryNotFoundException($"Model directory '{modelDirectory}' does not exist.");
        var columns = QaManifest.Read(modelDirectory)?.Columns ?? (options ?? new BertQuestionAnsweringOptions()).Columns();
        return new BertQuestionAnsweringEstimator(() => BertQaTransformer.Load(modelDirectory, options?.Device, options), columns);
    }

    /// <summary>SQuAD evaluation of scored data: <c>mlContext.QuestionAnswering().Evaluate(scored)</c>.</summary>
    public static QuestionAnsweringCatalog QuestionAnswering(this MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return new QuestionAnsweringCatalog();
    }

    /// <summary>
    /// Saves a question-answering transformer (a distilled student or plain inference) as a Hugging Face directory plus
    /// <c>distillml.json</c>: the nearest equivalent of <c>mlContext.Model.Save</c>, which ML.NET 5.0.1 does not open to
    /// third-party transformers (see <see cref="BertQaTransformer"/>'s remarks).
    /// </summary>
    public static void SaveDistilled(this ModelOperationsCatalog catalog, BertQaTransformer model, string directory)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        model.Save(directory);
    }

    /// <summary>Loads what <see cref="SaveDistilled"/> wrote (a <see cref="DistilledBertTransformer"/> for a distilled student).</summary>
    /// <param name="catalog">The model catalog (<c>mlContext.Model</c>).</param>
    /// <param name="directory">The directory.</param>
    /// <param name="device">"cpu", "cuda", or null for CUDA when available.</param>
    public static BertQaTransformer LoadDistilled(this ModelOperationsCatalog catalog, string directory, string? device = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return BertQaTransformer.Load(directory, device);
    }
}
