using DistillML.Text.Decoding;
using DistillML.Text.Features;
using DistillML.Torch.Modeling;

namespace DistillML;

/// <summary>
/// The result of <c>mlContext.Transforms.DistillBert(...).Fit(data)</c>: a <see cref="BertQaTransformer"/> whose model
/// is the distilled student, with its training report. Save it with <c>mlContext.Model.SaveDistilled</c> (or
/// <see cref="BertQaTransformer.Save(string)"/>); load it with <c>mlContext.Model.LoadDistilled</c>.
/// </summary>
public sealed class DistilledBertTransformer : BertQaTransformer
{
    internal DistilledBertTransformer(BertQaModel student, QaColumns columns, BertFeaturizer featurizer, PostProcessingOptions postProcessing, int batchSize,
        DistillationTrainingReport report)
        : base(student, ownsModel: true, columns, featurizer, postProcessing, batchSize)
    {
        TrainingReport = report;
    }

    /// <summary>The student (the same object as <see cref="BertQaTransformer.Model"/>).</summary>
    public BertQaModel Student => Model;

    /// <summary>Loss curve, validation scores, best dev F1, wall time, teacher-cache use.</summary>
    public DistillationTrainingReport TrainingReport { get; }
}
