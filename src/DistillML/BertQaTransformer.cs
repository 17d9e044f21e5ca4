using DistillML.Text.Decoding;
using DistillML.Text.Features;
using DistillML.Torch;
using DistillML.Torch.Modeling;
using DistillML.Torch.QuestionAnswering;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DistillML;

/// <summary>
/// Answers SQuAD-style questions with a <see cref="BertQaModel"/>, as an ML.NET transformer: <see cref="Transform"/>
/// keeps every input column and adds the answer (text), its score (Single) and the no-answer probability (Single),
/// one row per question; long contexts are cut into windows and decoded back inside (see the data view's remarks in
/// <see cref="Transform"/>).
/// </summary>
/// <remarks>
/// <para><b>Saving.</b> Use <see cref="Save(string)"/> (or <c>mlContext.Model.SaveDistilled</c>) and
/// <see cref="Load"/> (<c>mlContext.Model.LoadDistilled</c>): a Hugging Face directory (config.json,
/// model.safetensors, vocab.txt) plus <c>distillml.json</c>. <c>mlContext.Model.Save/Load</c> cannot carry a
/// third-party transformer in ML.NET 5.0.1: <c>ITransformer</c> extends the public <c>ICanSaveModel</c>, but its only
/// member, <c>Save(ModelSaveContext)</c>, receives a context whose writer, repository access, <c>SetVersionInfo</c>
/// and <c>SaveModel</c> are all internal, so nothing can be written through it; and loading needs an
/// <c>[assembly: LoadableClass]</c> registration with a <c>VersionInfo</c> and a constructor taking a
/// <c>ModelLoadContext</c> — <c>LoadableClassAttribute</c>, <c>VersionInfo</c> and <c>ModelLoadContext</c> are
/// internal types (visible only to ML.NET's own assemblies through InternalsVisibleTo). The one public extension
/// point that <c>Model.Save</c> does persist, <c>CustomMapping</c> with a <c>[CustomMappingFactoryAttribute]</c>,
/// stores only a contract name and maps one row at a time, so the weights would still have to live elsewhere and
/// windows could not be batched. <c>mlContext.Model.Save</c> on this transformer therefore throws
/// <see cref="NotSupportedException"/> with this explanation.</para>
/// </remarks>
public class BertQaTransformer : ITransformer, IDisposable
{
    private readonly bool ownsModel;
    private volatile bool disposed;
    private readonly BertQaPredictor predictor;

    internal BertQaTransformer(BertQaModel model, bool ownsModel, QaColumns columns, BertFeaturizer featurizer, PostProcessingOptions postProcessing, int batchSize)
    {
        Model = model;
        this.ownsModel = ownsModel;
        Columns = columns;
        Featurizer = featurizer;
        PostProcessing = postProcessing;
        BatchSize = batchSize;
        predictor = new BertQaPredictor(model, featurizer, postProcessing, batchSize);
    }

    /// <summary>The model that answers.</summary>
    public BertQaModel Model { get; }

    /// <summary>Its number of parameters.</summary>
    public long ParameterCount => Model.ParameterCount;

    /// <summary>The columns read and written.</summary>
    public QaColumns Columns { get; }

    /// <summary>The featurizer that cuts questions and contexts into windows.</summary>
    public BertFeaturizer Featurizer { get; }

    /// <summary>How spans are decoded.</summary>
    public PostProcessingOptions PostProcessing { get; }

    /// <summary>Windows per inference batch.</summary>
    public int BatchSize { get; }

    /// <summary>Always false: a question's windows are batched with other questions', so no single-row mapper exists.</summary>
    public bool IsRowToRowMapper => false;

    /// <summary>The input schema plus the three output columns.</summary>
    /// <exception cref="ArgumentException">A required column is missing (the message names it and the option that sets it).</exception>
    /// <exception cref="InvalidOperationException">A column has the wrong type (the message names it, the type expected and found).</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        QaInputColumns.Check(inputSchema, Columns, labels: false);
        return QaScoredDataView.OutputSchema(inputSchema, Columns);
    }

    /// <summary>Not supported; see <see cref="IsRowToRowMapper"/>.</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        throw new NotSupportedException("BertQaTransformer batches the windows of many questions, so it has no row-to-row mapper; use Transform.");

    /// <summary>
    /// A view with every input column and the answer columns. The answers are computed once, for all rows, by the
    /// first cursor that reads an answer column, and kept by row position (a custom <see cref="IDataView"/> over the
    /// input, not a materialised copy: input columns stream from the input's own cursors).
    /// </summary>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ObjectDisposedException.ThrowIf(disposed, this);
        QaInputColumns.Check(input.Schema, Columns, labels: false);
        return new QaScoredDataView(input, Columns, Score);
    }

    private QaPredictions Score(IDataView input)
    {
        if (disposed)
            throw new ObjectDisposedException(GetType().Name, "The transformer that made this data view was disposed before its answer columns were read; read them (or Evaluate) before disposing the transformer.");
        // Row numbers as ids: the input's ids need not be unique for answering.
        var examples = QaInputColumns.Read(input, Columns, labels: false).Select((e, i) => e with { Id = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }).ToList();
        var predictions = predictor.Predict(examples);
        var result = new QaPredictions(new string[examples.Count], new float[examples.Count], new float[examples.Count]);
        for (int i = 0; i < examples.Count; i++)
        {
            var p = predictions[examples[i].Id];
            result.Answers[i] = p.Text;
            result.Scores[i] = p.Score;
            result.NoAnswerProbabilities[i] = (float)p.NoAnswerProbability;
        }
        return result;
    }

    /// <summary>Writes the model (Hugging Face layout) and <c>distillml.json</c> into <paramref name="directory"/>, replacing it.</summary>
    public void Save(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Model.Save(directory);
        var f = Featurizer.Options;
        new QaManifest(QaManifest.CurrentFormat, this is DistilledBertTransformer ? "distilled" : "inference", Columns, f.MaxSequenceLength, f.DocStride, f.MaxQueryLength,
            f.LowerCase, PostProcessing.AllowNoAnswer, PostProcessing.NullScoreDiffThreshold, PostProcessing.MaxAnswerLength, BatchSize,
            (this as DistilledBertTransformer)?.TrainingReport).Write(directory);
    }

    /// <summary>
    /// Loads what <see cref="Save(string)"/> wrote — a <see cref="DistilledBertTransformer"/> when the manifest says it
    /// was distilled — or a plain Hugging Face QA checkpoint (then with <paramref name="defaults"/>' settings).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    public static BertQaTransformer Load(string directory, string? device = null, BertQuestionAnsweringOptions? defaults = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"Model directory '{directory}' does not exist.");
        var manifest = QaManifest.Read(directory);
        var model = BertQaModel.Load(directory, TorchDevice.Resolve(device ?? defaults?.Device));
        if (manifest is null)
        {
            var options = defaults ?? new BertQuestionAnsweringOptions();
            return Create(model, ownsModel: true, options);
        }
        var featurizer = BertFeaturizer.Create(new FeaturizerOptions
        {
            VocabPath = model.VocabularyPath, MaxSequenceLength = manifest.MaxSequenceLength, DocStride = manifest.DocStride,
            MaxQueryLength = manifest.MaxQueryLength, LowerCase = manifest.LowerCase, PadToMaxLength = false,
        });
        var post = new PostProcessingOptions { AllowNoAnswer = manifest.AllowNoAnswer, NullScoreDiffThreshold = manifest.NullScoreDiffThreshold, MaxAnswerLength = manifest.MaxAnswerLength };
        return manifest is { Kind: "distilled", Training: { } report }
            ? new DistilledBertTransformer(model, manifest.Columns, featurizer, post, manifest.InferenceBatchSize, report)
            : new BertQaTransformer(model, true, manifest.Columns, featurizer, post, manifest.InferenceBatchSize);
    }

    internal static BertQaTransformer Create(BertQaModel model, bool ownsModel, BertQuestionAnsweringOptions options)
    {
        options.Validate();
        string vocabulary = model.VocabularyPath
            ?? throw new ArgumentException("The model does not know its vocabulary: load it from a checkpoint directory with vocab.txt, or set BertQaModel.VocabularyPath.", nameof(model));
        CheckPositions(model, options.MaxSequenceLength, "model");
        return new BertQaTransformer(model, ownsModel, options.Columns(), BertFeaturizer.Create(options.Featurizer(vocabulary)),
            options.PostProcessing(options.AllowNoAnswer ?? false), options.InferenceBatchSize);
    }

    internal static void CheckPositions(BertQaModel model, int maxSequenceLength, string who) => CheckPositions(model.Config, maxSequenceLength, who);

    internal static void CheckPositions(BertConfig config, int maxSequenceLength, string who)
    {
        if (maxSequenceLength > config.MaxPositionEmbeddings)
            throw new ArgumentOutOfRangeException(nameof(BertQuestionAnsweringOptions.MaxSequenceLength), maxSequenceLength,
                $"MaxSequenceLength is longer than the {who}'s max_position_embeddings ({config.MaxPositionEmbeddings}).");
    }

    /// <summary>Refuses: see the remarks of <see cref="BertQaTransformer"/> for why ML.NET 5.0.1 cannot save it this way.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => throw new NotSupportedException(
        "mlContext.Model.Save cannot store a DistillML transformer: ML.NET 5.0.1 keeps ModelSaveContext's writers, ModelLoadContext, " +
        "LoadableClassAttribute and VersionInfo internal, so third-party transformers can be neither written nor registered for loading. " +
        "Use mlContext.Model.SaveDistilled(transformer, directory) / mlContext.Model.LoadDistilled(directory) (a Hugging Face directory plus distillml.json).");

    /// <summary>Releases the model when this transformer created or loaded it (not when it was handed one).</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (ownsModel) Model.Dispose();
        GC.SuppressFinalize(this);
    }
}
