using Microsoft.ML;
using Microsoft.ML.Data;

namespace DistillML;

/// <summary>
/// Output schema shapes for the estimators. <c>SchemaShape.Column</c>'s constructor is internal in ML.NET 5.0.1, so a
/// third-party estimator cannot build new columns directly; the shape is derived through public ML.NET estimators
/// instead: copying the (text) context column gives the text answer column, and converting it to Single gives the two
/// Single columns. Only their shapes are used; nothing runs.
/// </summary>
internal static class QaSchemaShape
{
    private static readonly MLContext Shapes = new(seed: 0);

    public static SchemaShape Output(SchemaShape input, QaColumns c) =>
        Shapes.Transforms.CopyColumns(c.PredictedAnswer, c.Context)
            .Append(Shapes.Transforms.Conversion.ConvertType(c.Score, c.Context, DataKind.Single))
            .Append(Shapes.Transforms.Conversion.ConvertType(c.NoAnswerProbability, c.Context, DataKind.Single))
            .GetOutputSchema(input);
}
