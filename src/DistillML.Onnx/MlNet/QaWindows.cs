using DistillML.Text.Features;
using DistillML.Text.Squad;
using Microsoft.ML;

namespace DistillML.Onnx.MlNet;

/// <summary>The windows of a set of questions: the IDataView the ONNX model scores, and the features and examples that decode its output.</summary>
/// <param name="Examples">The questions, in data-view order.</param>
/// <param name="Features">Their windows; <see cref="QaWindowRow.WindowKey"/> indexes this list.</param>
/// <param name="Data">One <see cref="QaWindowRow"/> per window.</param>
public sealed record QaWindows(IReadOnlyList<SquadExample> Examples, IReadOnlyList<QaFeature> Features, IDataView Data);
