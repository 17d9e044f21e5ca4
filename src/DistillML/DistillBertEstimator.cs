using DistillML.Text.Features;
using DistillML.Torch;
using DistillML.Torch.Distillation;
using DistillML.Torch.Modeling;
using Microsoft.ML;
using TorchSharp;

namespace DistillML;

/// <summary>
/// Distils a BERT question-answering teacher into a smaller student (<c>mlContext.Transforms.DistillBert</c>).
/// <see cref="Fit"/> reads the SQuAD columns, builds the student (<see cref="DistillBertOptions.Student"/>, started as
/// <see cref="DistillBertOptions.Initialization"/> says), trains it on the teacher's soft start/end distributions and
/// the gold spans (<see cref="DistillationTrainer"/>), and returns the student as a <see cref="DistilledBertTransformer"/>.
/// </summary>
/// <remarks>
/// A teacher handed in as a model stays the caller's: <see cref="Fit"/> puts it in evaluation mode and, when
/// <see cref="BertQuestionAnsweringOptions.Device"/> names another device, moves it there (it is left so). A teacher
/// named by its directory is loaded by each <see cref="Fit"/> and disposed when that fit ends, so repeated fits hold no
/// native memory between them. The teacher's vocabulary (<c>vocab.txt</c>) becomes the student's.
/// </remarks>
public sealed class DistillBertEstimator : IEstimator<DistilledBertTransformer>
{
    private readonly BertQaModel? teacher;
    private readonly string? teacherDirectory;
    private readonly DistillBertOptions options;
    private readonly int contextSeed; // drawn from the MLContext when the estimator was made

    internal DistillBertEstimator(BertQaModel teacher, DistillBertOptions options, int contextSeed)
    {
        ArgumentNullException.ThrowIfNull(teacher);
        if (teacher.VocabularyPath is null)
            throw new ArgumentException("The teacher does not know its vocabulary: load it from a checkpoint directory with vocab.txt, or set BertQaModel.VocabularyPath.", nameof(teacher));
        Validate(teacher.Config, options);
        this.teacher = teacher;
        this.options = options;
        this.contextSeed = contextSeed;
    }

    private DistillBertEstimator(string teacherDirectory, DistillBertOptions options, int contextSeed)
    {
        this.teacherDirectory = teacherDirectory;
        this.options = options;
        this.contextSeed = contextSeed;
    }

    /// <summary>The seed of the next fit: <see cref="DistillBertOptions.Seed"/>, or the one drawn from the MLContext when that is null.</summary>
    public int Seed => options.Seed ?? contextSeed;

    /// <summary>
    /// The estimator for the teacher checkpoint in <paramref name="directory"/>, checked now from its config.json and
    /// vocab.txt; the weights are loaded by each <see cref="Fit"/> and released after it.
    /// </summary>
    internal static DistillBertEstimator FromDirectory(string directory, DistillBertOptions options, int contextSeed)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"Teacher directory '{directory}' does not exist; it must hold config.json, model.safetensors and vocab.txt.");
        string config = Path.Combine(directory, Torch.Checkpoints.BertCheckpoint.ConfigFile);
        if (!File.Exists(config)) throw new FileNotFoundException($"No {Torch.Checkpoints.BertCheckpoint.ConfigFile} in teacher directory '{directory}'.", config);
        if (!File.Exists(Path.Combine(directory, Torch.Checkpoints.BertCheckpoint.VocabularyFile)))
            throw new ArgumentException($"The teacher in '{directory}' has no vocab.txt; the student needs the teacher's vocabulary.", nameof(directory));
        Validate(BertConfigJson.Read(config), options);
        return new DistillBertEstimator(directory, options, contextSeed);
    }

    private static void Validate(BertConfig teacher, DistillBertOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        BertQaTransformer.CheckPositions(teacher, options.MaxSequenceLength, "teacher");
        if (options.MaxSequenceLength > options.Student.MaxPositions)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxSequenceLength, $"MaxSequenceLength is longer than the student's MaxPositions ({options.Student.MaxPositions}).");
        options.Student.ToConfig(teacher); // fails now, naming the field, rather than after reading the data
    }

    /// <summary>The teacher handed in as a model; null when it is loaded from its directory by each <see cref="Fit"/>.</summary>
    public BertQaModel? Teacher => teacher;

    /// <summary>Distils the teacher on <paramref name="input"/> and returns the student.</summary>
    /// <exception cref="ArgumentException">A required column is missing (the message names it).</exception>
    /// <exception cref="InvalidOperationException">A column has the wrong type.</exception>
    /// <exception cref="OperationCanceledException"><see cref="DistillBertOptions.CancellationToken"/> was cancelled.</exception>
    public DistilledBertTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var columns = options.Columns();
        var train = QaInputColumns.Read(input, columns, labels: true);
        if (train.Count == 0) throw new ArgumentException("The training data has no rows.", nameof(input));
        var validation = options.ValidationData is { } v ? QaInputColumns.Read(v, columns, labels: true) : null;
        bool version2 = train.Any(e => e.IsImpossible) || (validation?.Any(e => e.IsImpossible) ?? false);

        var model = teacher ?? BertQaModel.Load(teacherDirectory!, options.Device is null ? null : TorchDevice.Resolve(options.Device));
        try
        {
            var device = options.Device is null ? model.Device : TorchDevice.Resolve(options.Device);
            if (model.Device.type != device.type || model.Device.index != device.index) model.to(device);
            model.eval();
            var featurizer = BertFeaturizer.Create(options.Featurizer(model.VocabularyPath!));
            var student = StudentInitializer.Create(model, options.Student.ToConfig(model.Config), options.Initialization, Seed, device);
            try
            {
                var trainerOptions = options.Trainer(version2, Seed);
                var report = new DistillationTrainer(featurizer, trainerOptions).Train(model, student, train, validation, options.Progress, options.CancellationToken);
                return new DistilledBertTransformer(student, columns, featurizer, trainerOptions.PostProcessing!, options.InferenceBatchSize,
                    DistillationTrainingReport.From(report, model.ParameterCount, student.ParameterCount));
            }
            catch
            {
                student.Dispose();
                throw;
            }
        }
        finally
        {
            if (teacher is null) model.Dispose(); // loaded for this fit
        }
    }

    /// <summary>Checks the input columns (clear errors naming them) and adds PredictedAnswer (text), Score and NoAnswerProbability (Single).</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var columns = options.Columns();
        QaInputColumns.Check(inputSchema, columns, labels: true);
        return QaSchemaShape.Output(inputSchema, columns);
    }
}
