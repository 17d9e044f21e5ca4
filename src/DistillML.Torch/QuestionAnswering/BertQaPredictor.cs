using DistillML.Text.Decoding;
using DistillML.Text.Features;
using DistillML.Text.Squad;
using DistillML.Torch.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace DistillML.Torch.QuestionAnswering;

/// <summary>
/// Answers SQuAD questions with a <see cref="BertQaModel"/>: featurize into windows, run the model in batches of
/// similar lengths (less padding), decode spans with <see cref="SquadPostProcessor"/>. When no post-processing options
/// are given, "no answer" is allowed only if the examples include unanswerable (SQuAD 2.0) questions, as run_qa.py's
/// <c>version_2_with_negative</c> would be set for them.
/// </summary>
public sealed class BertQaPredictor(BertQaModel model, BertFeaturizer featurizer, PostProcessingOptions? postProcessing = null, int batchSize = 32)
{

    /// <summary>The featurizer whose windows the model reads.</summary>
    public BertFeaturizer Featurizer => featurizer;

    /// <summary>Start and end logits of every window, in the order given (cut to each window's own length).</summary>
    public IReadOnlyList<WindowLogits> Logits(IReadOnlyList<QaFeature> features, CancellationToken cancellationToken = default)
    {
        var result = new WindowLogits[features.Count];
        bool wasTraining = model.training;
        model.eval();
        try
        {
            // Sorting by length groups windows of similar size, so each batch carries little padding.
            var order = Enumerable.Range(0, features.Count).OrderBy(i => features[i].SequenceLength).ToArray();
            using var noGrad = no_grad();
            for (int start = 0; start < order.Length; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var rows = order.Skip(start).Take(batchSize).Select(i => features[i]).ToList();
                using var batch = new QaBatch(rows, model.Device, model.Config.HasTokenTypes);
                var output = model.call(batch.InputIds, batch.AttentionMask, batch.TokenTypeIds);
                var startLogits = output.StartLogits.cpu().data<float>().ToArray();
                var endLogits = output.EndLogits.cpu().data<float>().ToArray();
                for (int r = 0; r < rows.Count; r++)
                {
                    int length = rows[r].SequenceLength;
                    result[order[start + r]] = new WindowLogits(rows[r],
                        startLogits.AsMemory(r * batch.Columns, length), endLogits.AsMemory(r * batch.Columns, length));
                }
            }
        }
        finally
        {
            if (wasTraining) model.train();
        }
        return result;
    }

    /// <summary>Predictions for <paramref name="examples"/>, by question id.</summary>
    public IReadOnlyDictionary<string, SquadPrediction> Predict(IReadOnlyList<SquadExample> examples, CancellationToken cancellationToken = default)
    {
        var features = featurizer.Featurize(examples).ToList();
        var postProcessor = new SquadPostProcessor(postProcessing ?? new PostProcessingOptions { AllowNoAnswer = examples.Any(e => e.IsImpossible) });
        return postProcessor.PredictAll(examples, Logits(features, cancellationToken));
    }

    /// <summary>Predicts and scores <paramref name="examples"/> with the official SQuAD metric (v2.0 when any is unanswerable, else v1.1).</summary>
    public SquadMetrics Evaluate(IReadOnlyList<SquadExample> examples, CancellationToken cancellationToken = default) =>
        SquadMetric.EvaluatePredictions(examples, Predict(examples, cancellationToken));
}
