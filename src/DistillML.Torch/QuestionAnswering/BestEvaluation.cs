using DistillML.Text.Squad;
using DistillML.Torch.Modeling;
using static TorchSharp.torch;

namespace DistillML.Torch.QuestionAnswering;

/// <summary>
/// Evaluations during training, the best one and, optionally, a snapshot of its weights to restore. "Best" is by F1; on
/// SQuAD 2.0 data by best_f1 (F1 at the best no-answer threshold), because F1 at threshold 0 prefers a model that answers
/// "no answer" everywhere to one that has begun to answer but whose null score is not yet calibrated.
/// Disposing frees the snapshot: training that ends by an exception (a pruned trial throws from its evaluation
/// callback, cancellation) must not leak a copy of the model's weights in native memory.
/// </summary>
internal sealed class BestEvaluation(BertQaModel model, BertQaPredictor predictor, bool keepWeights) : IDisposable
{
    private readonly List<QaEvaluation> evaluations = [];
    private Dictionary<string, Tensor>? weights;

    public IReadOnlyList<QaEvaluation> Evaluations => evaluations;

    public QaEvaluation? Best { get; private set; }

    public void Run(int step, IReadOnlyList<SquadExample> validation, CancellationToken cancellationToken)
    {
        var evaluation = new QaEvaluation(step, predictor.Evaluate(validation, cancellationToken));
        evaluations.Add(evaluation);
        if (Best is not null && SelectionScore(evaluation.Metrics) <= SelectionScore(Best.Metrics)) return;
        Best = evaluation;
        if (!keepWeights) return;
        Release();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope(); // holds the detached views until the copies are made (see BertQaModel.InitializeWeights)
        weights = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
    }

    /// <summary>What "best" maximises: best_f1 when the metrics have unanswerable questions and thresholds, else F1.</summary>
    internal static double SelectionScore(SquadMetrics metrics) =>
        metrics.NoAns is not null && metrics.BestF1 is { } bestF1 ? bestF1 : metrics.F1;

    public void RestoreBestIfNeeded(int lastStep)
    {
        if (weights is not null && Best is not null && Best.Step != lastStep)
        {
            using var noGrad = no_grad();
            foreach (var (name, value) in model.state_dict()) value.copy_(weights[name]);
        }
        Release();
    }

    public void Dispose() => Release();

    private void Release()
    {
        if (weights is null) return;
        foreach (var t in weights.Values) t.Dispose();
        weights = null;
    }
}
