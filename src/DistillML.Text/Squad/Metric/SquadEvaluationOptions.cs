namespace DistillML.Text.Squad;

/// <summary>What the metric does with a question that has no prediction.</summary>
public enum MissingPredictionPolicy
{
    /// <summary>
    /// Leave the question out of every total and list it in <see cref="SquadMetrics.MissingPredictionIds"/>: the v2.0
    /// script's "Missing prediction for ..." behaviour (its HasAns/NoAns breakdowns would then fail; here they cover the
    /// predicted questions of each kind).
    /// </summary>
    Skip,

    /// <summary>Count the question as wrong (exact 0, F1 0) in every total: the v1.1 script's "Unanswered question ...
    /// will receive score 0". In SQuAD 2.0 evaluation it is never taken as a no-answer prediction.</summary>
    ScoreZero,

    /// <summary>Throw an <see cref="ArgumentException"/> naming the first question without a prediction.</summary>
    Throw,
}

/// <summary>Options of <see cref="SquadMetric"/>.</summary>
public sealed class SquadEvaluationOptions
{
    /// <summary>
    /// <c>--na-prob-thresh</c> of the v2.0 script (default 1.0): a question whose no-answer probability is strictly
    /// above it counts as predicted unanswerable, whatever its text prediction.
    /// </summary>
    public double NoAnswerProbabilityThreshold { get; init; } = 1.0;

    /// <summary>Questions without a prediction; null means the script's behaviour: <see cref="MissingPredictionPolicy.Skip"/>
    /// for SQuAD 2.0, <see cref="MissingPredictionPolicy.ScoreZero"/> for SQuAD 1.1.</summary>
    public MissingPredictionPolicy? MissingPredictions { get; init; }
}
