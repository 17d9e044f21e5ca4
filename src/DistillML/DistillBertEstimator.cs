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
/// The teacher is put in evaluation mode and, when <see cref="BertQuestionAnsweringOptions.Device"/> names another
/// device, moved there. Its vocabulary (<c>vocab.txt</c>) becomes the student's.
/// </remarks>
public sealed class DistillBertEstimator : IEstimator<DistilledBertTransformer>
{
    private readonly BertQaModel teacher;
    private readonly DistillBertOptions options;

    internal DistillBertEstimator(BertQaModel teacher, DistillBertOptions options)
    {
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (teacher.VocabularyPath is null)
            throw new ArgumentException("The teacher does not know its vocabulary: load it from a checkpoint directory with vocab.txt, or set BertQaModel.VocabularyPath.", nameof(teacher));
        BertQaTransformer.CheckPositions(teacher, options.MaxSequenceLength, "teacher");
        if (options.MaxSequenceLength > options.Student.MaxPositions)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxSequenceLength, $"MaxSequenceLength is longer than the student's MaxPositions ({options.Student.MaxPositions}).");
        options.Student.ToConfig(teacher.Config); // fails now, naming the field, rather than after reading the data
        this.teacher = teacher;
        this.options = options;
    }

    /// <summary>The teacher.</summary>
    public BertQaModel Teacher => teacher;

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

        var device = options.Device is null ? teacher.Device : TorchDevice.Resolve(options.Device);
        if (teacher.Device.type != device.type || teacher.Device.index != device.index) teacher.to(device);
        teacher.eval();
        var featurizer = BertFeaturizer.Create(options.Featurizer(teacher.VocabularyPath!));
        var student = StudentInitializer.Create(teacher, options.Student.ToConfig(teacher.Config), options.Initialization, options.Seed, device);
        try
        {
            var trainerOptions = options.Trainer(version2);
            var report = new DistillationTrainer(featurizer, trainerOptions).Train(teacher, student, train, validation, options.Progress, options.CancellationToken);
            return new DistilledBertTransformer(student, columns, featurizer, trainerOptions.PostProcessing!, options.InferenceBatchSize,
                DistillationTrainingReport.From(report, teacher.ParameterCount, student.ParameterCount));
        }
        catch
        {
            student.Dispose();
            throw;
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
