using Microsoft.ML;

namespace DistillML;

/// <summary>
/// Plain question answering with any <see cref="Torch.Modeling.BertQaModel"/> (<c>mlContext.Transforms.BertQuestionAnswering</c>):
/// nothing is trained; <see cref="Fit"/> returns the transformer, which adds the same columns as a distilled student's.
/// </summary>
public sealed class BertQuestionAnsweringEstimator : IEstimator<BertQaTransformer>
{
    private readonly Func<BertQaTransformer> create;
    private readonly QaColumns columns;

    internal BertQuestionAnsweringEstimator(Func<BertQaTransformer> create, QaColumns columns)
    {
        this.create = create;
        this.columns = columns;
    }

    /// <summary>Checks <paramref name="input"/>'s columns and returns the transformer.</summary>
    public BertQaTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        QaInputColumns.Check(input.Schema, columns, labels: false);
        return create();
    }

    /// <summary>Checks the input columns and adds PredictedAnswer (text), Score and NoAnswerProbability (Single).</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        QaInputColumns.Check(inputSchema, columns, labels: false);
        return QaSchemaShape.Output(inputSchema, columns);
    }
}
