using DistillML.Text.Squad;
using DistillML.Torch.Modeling;
using static TorchSharp.torch;

namespace DistillML.Torch.QuestionAnswering;

/// <summary>Evaluations during training, the best one (by F1) and, optionally, a snapshot of its weights to restore.</summary>
internal sealed class BestEvaluation(BertQaModel model, BertQaPredictor predictor, bool keepWeights)
{
    private readonly List<QaEvaluation> evaluations = [];
    private Dictionary<string, Tensor>? weights;

    public IReadOnlyList<QaEvaluation> Evaluations => evaluations;

    public QaEvaluation? Best { get; private set; }

    public void Run(int step, IReadOnlyList<SquadExample> validation, CancellationToken cancellationToken)
    {
        var evaluation = new QaEvaluation(step, predictor.Evaluate(validation, cancellationToken));
        evaluations.Add(evaluation);
        if (Best is not null && evaluation.Metrics.F1 <= Best.Metrics.F1) return;
        Best = evaluation;
        if (!keepWeights) return;
        Release();
        using var noGrad = no_grad();
        weights = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
    }

    public void RestoreBestIfNeeded(int lastStep)
    {
        if (weights is not null && Best is not null && Best.Step != lastStep)
        {
            using var noGrad = no_grad();
            foreach (var (name, value) in model.state_dict()) value.copy_(weights[name]);
        }
        Release();
    }

    private void Release()
    {
        if (weights is null) return;
        foreach (var t in weights.Values) t.Dispose();
        weights = null;
    }
}
