using DistillML.Text.Decoding;
using DistillML.Text.Deployment;
using DistillML.Text.Features;
using DistillML.Text.Squad;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Transforms.Onnx;

namespace DistillML.Onnx.MlNet;

/// <summary>
/// The ML.NET way to score an exported student: SQuAD rows (an <see cref="IDataView"/> of <see cref="SquadDataRow"/> columns
/// as <c>ml.Data.LoadFromSquadJson</c> or <c>LoadFromSquadExamples</c> give) are cut into windows by DistillML's
/// <see cref="BertFeaturizer"/> (settings from the model's metadata), scored by <c>ml.Transforms.ApplyOnnxModel</c>
/// with the window length fixed by a shape dictionary, and decoded by <see cref="SquadPostProcessor"/>: the same
/// answers as <see cref="OnnxQuestionAnswerer"/>.
/// </summary>
/// <example>
/// <code>
/// var ml = new MLContext();
/// IDataView dev = ml.Data.LoadFromSquadJson("dev-v2.0.json");
/// var pipeline = new OnnxQaPipeline(ml, "student.onnx");
/// QaWindows windows = pipeline.Featurize(dev);                     // IDataView of input_ids / attention_mask / token_type_ids
/// ITransformer scorer = pipeline.CreateScorer().Fit(windows.Data);  // ml.Transforms.ApplyOnnxModel(...)
/// IDataView scored = scorer.Transform(windows.Data);               // + start_logits / end_logits
/// var predictions = pipeline.Decode(windows, scored);              // question id -> SquadPrediction
///
/// ITransformer model = pipeline.CreateEstimator().Fit(dev);         // one savable ML.NET model, question rows in and out
/// ml.Model.Save(model, dev.Schema, "student.zip");
/// </code>
/// </example>
public sealed class OnnxQaPipeline
{
    private readonly MLContext ml;
    private readonly PostProcessingOptions decoding;
    private readonly SquadPostProcessor postProcessor;
    private readonly WordPieceVocabulary vocabulary;
    private readonly bool hasTokenTypes;

    /// <summary>Reads the model's metadata and checks its vocabulary (default <c>vocab.txt</c> beside the model).</summary>
    /// <exception cref="FileNotFoundException">The model or vocabulary does not exist.</exception>
    /// <exception cref="InvalidDataException">Missing DistillML metadata, or a vocabulary whose hash differs from the model's.</exception>
    public OnnxQaPipeline(MLContext ml, string modelPath, string? vocabPath = null, PostProcessingOptions? postProcessing = null)
    {
        this.ml = ml ?? throw new ArgumentNullException(nameof(ml));
        if (!File.Exists(modelPath)) throw new FileNotFoundException($"ONNX model '{modelPath}' does not exist.", modelPath);
        ModelPath = Path.GetFullPath(modelPath);
        vocabPath = Path.GetFullPath(vocabPath ?? Path.Combine(Path.GetDirectoryName(ModelPath)!, "vocab.txt"));
        using (var session = new InferenceSession(ModelPath))
        {
            Metadata = QaModelMetadata.FromDictionary(session.ModelMetadata.CustomMetadataMap, ModelPath);
            hasTokenTypes = session.InputMetadata.ContainsKey("token_type_ids");
        }
        vocabulary = WordPieceVocabulary.Load(vocabPath);
        string hash = vocabulary.Hash();
        if (hash != Metadata.VocabHash)
            throw new InvalidDataException($"Vocabulary '{vocabPath}' (SHA-256 {hash}) is not the one model '{ModelPath}' was exported with ({QaModelMetadata.VocabHashKey} = {Metadata.VocabHash}).");
        var options = Metadata.ToFeaturizerOptions(vocabPath);
        options.PadToMaxLength = true; // ML.NET scores fixed-size vectors
        Featurizer = BertFeaturizer.Create(options);
        decoding = postProcessing ?? new PostProcessingOptions();
        postProcessor = new SquadPostProcessor(decoding);
    }

    /// <summary>The model file.</summary>
    public string ModelPath { get; }

    /// <summary>The model's metadata.</summary>
    public QaModelMetadata Metadata { get; }

    /// <summary>The featurizer (windows padded to <see cref="QaModelMetadata.MaxSequenceLength"/>).</summary>
    public BertFeaturizer Featurizer { get; }

    /// <summary>Names of the ONNX inputs the model takes.</summary>
    public string[] InputColumns => hasTokenTypes ? ["input_ids", "attention_mask", "token_type_ids"] : ["input_ids", "attention_mask"];

    /// <summary>Cuts the questions of a SQuAD data view (<see cref="SquadDataRow"/> columns) into window rows.</summary>
    public QaWindows Featurize(IDataView squadRows)
    {
        ArgumentNullException.ThrowIfNull(squadRows);
        var examples = ml.Data.CreateEnumerable<SquadDataRow>(squadRows, reuseRowObject: false)
            .Select(r => new SquadExample(r.Id, r.Title, r.Context, r.Question, [], r.IsImpossible)).ToList();
        var features = Featurizer.Featurize(examples).ToList();
        int length = Metadata.MaxSequenceLength;
        var schema = SchemaDefinition.Create(typeof(QaWindowRow));
        foreach (var column in new[] { "input_ids", "attention_mask", "token_type_ids" })
            schema[column].ColumnType = new VectorDataViewType(NumberDataViewType.Int64, length);
        var rows = features.Select((f, i) => new QaWindowRow
        {
            WindowKey = i, InputIds = f.InputIds, AttentionMask = f.AttentionMask, TokenTypeIds = f.TokenTypeIds,
        });
        return new QaWindows(examples, features, ml.Data.LoadFromEnumerable(rows, schema));
    }

    /// <summary><c>ml.Transforms.ApplyOnnxModel</c> over the window columns, the window length fixed by a shape dictionary.</summary>
    public OnnxScoringEstimator CreateScorer(int? gpuDeviceId = null, bool fallbackToCpu = true)
    {
        int length = Metadata.MaxSequenceLength;
        var shapes = InputColumns.ToDictionary(c => c, _ => new[] { 1, length });
        return ml.Transforms.ApplyOnnxModel(["start_logits", "end_logits"], InputColumns, ModelPath, shapes, gpuDeviceId, fallbackToCpu);
    }

    /// <summary>Decodes the scored windows into predictions by question id.</summary>
    public IReadOnlyDictionary<string, SquadPrediction> Decode(QaWindows windows, IDataView scored)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(scored);
        var logits = ml.Data.CreateEnumerable<ScoredQaWindowRow>(scored, reuseRowObject: false)
            .Select(r => new WindowLogits(windows.Features[r.WindowKey], r.StartLogits, r.EndLogits));
        return postProcessor.PredictAll(windows.Examples, logits);
    }

    /// <summary>
    /// The whole question-answering pipeline as ML.NET transforms that <c>mlContext.Model.Save</c> can save and
    /// <c>Model.Load</c> load back: it maps rows with <c>Question</c> and <c>Context</c> text columns to
    /// <c>PredictedAnswer</c>, <c>Score</c> and <c>NoAnswerProbability</c> (what <c>mlContext.QuestionAnswering().Evaluate</c>
    /// reads), keeping the input columns. Fitting reads no data.
    /// </summary>
    /// <remarks>
    /// The chain: a custom mapping gives each row a constant key; <c>MapValue</c> looks up the featurizer settings,
    /// vocabulary and decoding options by it (its table is saved in the zip, see <see cref="QaPipelineSpec"/>); a custom
    /// mapping cuts the question into its first <see cref="QaWindowGeometry.Windows"/> windows; <c>ApplyOnnxModel</c>
    /// scores them as one [windows, max_seq_length] batch (the ONNX bytes are saved in the zip); a custom mapping decodes
    /// the answer; the intermediate columns are dropped. The custom mappings' factories live in this assembly, which
    /// ML.NET records in the zip and loads again; <c>mlContext.ComponentCatalog.RegisterAssembly(typeof(OnnxQaPipeline).Assembly)</c>
    /// before <c>Model.Load</c> makes that explicit. Limits: every question costs <see cref="QaWindowGeometry.Windows"/>
    /// windows of compute (a fixed-size tensor per row is what ApplyOnnxModel scores), a longer context is answered from
    /// its first windows, and windows must be one of <see cref="QaWindowGeometry.SupportedLengths"/> tokens long.
    /// <see cref="OnnxQuestionAnswerer"/> has none of these limits.
    /// </remarks>
    /// <exception cref="NotSupportedException">The model's window length is not one the saved pipeline supports.</exception>
    public IEstimator<ITransformer> CreateEstimator(int? gpuDeviceId = null, bool fallbackToCpu = true)
    {
        int length = Metadata.MaxSequenceLength;
        var featurize = QaWindowGeometry.Featurize(ml, length);
        string spec = QaPipelineSpec.Write(Featurizer.Options, vocabulary.Tokens, decoding, QaWindowGeometry.Windows);
        var table = ml.Data.LoadFromEnumerable([new SpecTableRow { Key = QaSpecKey.Key, Value = spec }]);
        var shapes = InputColumns.ToDictionary(c => c, _ => new[] { QaWindowGeometry.Windows, length });
        return ml.Transforms.CustomMapping(new QaSpecKey().GetMapping(), QaSpecKey.ContractName)
            .Append(ml.Transforms.Conversion.MapValue(QaPipelineColumns.Spec, table, table.Schema[nameof(SpecTableRow.Key)],
                table.Schema[nameof(SpecTableRow.Value)], QaPipelineColumns.SpecKey))
            .Append(featurize)
            .Append(ml.Transforms.ApplyOnnxModel(["start_logits", "end_logits"], InputColumns, ModelPath, shapes, gpuDeviceId, fallbackToCpu))
            .Append(ml.Transforms.CustomMapping(new QaDecode().GetMapping(), QaDecode.ContractName))
            .Append(ml.Transforms.DropColumns(QaPipelineColumns.SpecKey, QaPipelineColumns.Spec, "input_ids", "attention_mask", "token_type_ids",
                "start_logits", "end_logits"));
    }

    private sealed class SpecTableRow
    {
        public string Key { get; set; } = "";
        public string Value { get; set; } = "";
    }

    /// <summary>Featurize, score with ApplyOnnxModel, decode: predictions for every question of <paramref name="squadRows"/>.</summary>
    public IReadOnlyDictionary<string, SquadPrediction> Predict(IDataView squadRows)
    {
        var windows = Featurize(squadRows);
        var scored = CreateScorer().Fit(windows.Data).Transform(windows.Data);
        return Decode(windows, scored);
    }
}
