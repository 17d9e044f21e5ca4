namespace DistillML.Text.Squad;

/// <summary>
/// The official SQuAD evaluation: <see cref="Evaluate"/> is evaluate-v2.0.py, <see cref="EvaluateV1"/> is
/// evaluate-v1.1.py, with the same normalization (<see cref="SquadAnswerNormalizer"/>), the same per-question scores
/// (<see cref="SquadScoring"/>) and the same floating-point operations in the same order, so the numbers agree with
/// the scripts run on CPython 3.11 (which sums floats left to right).
/// </summary>
public static class SquadMetric
{
    /// <summary>
    /// Scores decoded predictions the way the official scripts would: v2.0 rules with the predictions' no-answer
    /// probabilities when any question is unanswerable, else v1.1 rules.
    /// </summary>
    public static SquadMetrics EvaluatePredictions(IReadOnlyList<SquadExample> examples, IReadOnlyDictionary<string, Decoding.SquadPrediction> predictions)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(predictions);
        var texts = predictions.ToDictionary(p => p.Key, p => p.Value.Text);
        return examples.Any(e => e.IsImpossible)
            ? Evaluate(examples, texts, predictions.ToDictionary(p => p.Key, p => p.Value.NoAnswerProbability))
            : EvaluateV1(examples, texts);
    }

    /// <summary>
    /// SQuAD 2.0 evaluation (evaluate-v2.0.py). Per question: the gold answers are the answer texts that do not
    /// normalize to empty, or [""] when none is left (so unanswerable questions score 1 exactly when the prediction
    /// normalizes to empty); exact and F1 are the maxima over them. A question whose no-answer probability is above
    /// <see cref="SquadEvaluationOptions.NoAnswerProbabilityThreshold"/> scores 1 if unanswerable, else 0.
    /// Totals, HasAns_ and NoAns_ breakdowns (a question "has an answer" when its answer list is not empty), and, when
    /// probabilities are given, best_exact/best_f1 with their thresholds as the script's <c>find_best_thresh</c>
    /// computes them: questions taken in increasing probability, ties in the order of
    /// <paramref name="noAnswerProbabilities"/>'s enumeration (the order of the script's na-prob file).
    /// </summary>
    /// <param name="examples">The gold questions (unique ids), in dataset order (the order totals are summed in).</param>
    /// <param name="predictions">Predicted answer text per question id; "" predicts "no answer". Extra ids are ignored.</param>
    /// <param name="noAnswerProbabilities">Optional no-answer probability per question id (the script's <c>--na-prob-file</c>);
    /// it must cover every scored question.</param>
    /// <param name="options">Threshold and missing-prediction handling; null for the script's defaults.</param>
    /// <exception cref="ArgumentException">Duplicate example ids, a scored question without a probability, NaN probabilities,
    /// nothing to score, or a missing prediction under <see cref="MissingPredictionPolicy.Throw"/>.</exception>
    public static SquadMetrics Evaluate(IEnumerable<SquadExample> examples, IReadOnlyDictionary<string, string> predictions,
        IReadOnlyDictionary<string, double>? noAnswerProbabilities = null, SquadEvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        var list = UniqueExamples(examples);
        var policy = options?.MissingPredictions ?? MissingPredictionPolicy.Skip;
        double threshold = options?.NoAnswerProbabilityThreshold ?? 1.0;
        if (noAnswerProbabilities?.FirstOrDefault(p => double.IsNaN(p.Value)) is { Key: not null } nan)
            throw new ArgumentException($"The no-answer probability of question '{nan.Key}' is NaN.", nameof(noAnswerProbabilities));

        var missing = new List<string>();
        var scored = new List<QuestionScore>(list.Count);
        foreach (var example in list)
        {
            bool hasAnswer = example.Answers.Count > 0;
            if (!predictions.TryGetValue(example.Id, out string? prediction))
            {
                missing.Add(example.Id);
                if (policy == MissingPredictionPolicy.Throw) throw MissingPrediction(example.Id);
                if (policy == MissingPredictionPolicy.ScoreZero) scored.Add(new QuestionScore(example.Id, hasAnswer, null, 0, 0));
                continue;
            }
            var golds = example.Answers.Select(a => a.Text).Where(t => SquadAnswerNormalizer.Normalize(t).Length > 0).ToList();
            if (golds.Count == 0) golds.Add("");
            scored.Add(new QuestionScore(example.Id, hasAnswer, prediction,
                golds.Max(g => SquadScoring.ExactMatch(g, prediction)),
                golds.Max(g => SquadScoring.F1(g, prediction))));
        }
        if (scored.Count == 0) throw new ArgumentException("No question has a prediction: nothing to score.", nameof(predictions));

        var (exact, f1) = ApplyNoAnswerThreshold(scored, noAnswerProbabilities, threshold);
        var all = Subset(scored, exact, f1, _ => true)!;
        var best = noAnswerProbabilities is null ? null : BestThreshold.Find(scored, noAnswerProbabilities, list.Count(e => e.Answers.Count == 0));
        return new SquadMetrics(SquadVersion.V2_0, all.Exact, all.F1, all.Total,
            Subset(scored, exact, f1, s => s.HasAnswer), Subset(scored, exact, f1, s => !s.HasAnswer),
            best?.Exact, best?.ExactThreshold, best?.F1, best?.F1Threshold, missing);
    }

    /// <summary>
    /// SQuAD 1.1 evaluation (evaluate-v1.1.py): exact match and F1 as the maxima over all gold answers (none are
    /// dropped), F1 0 when no token is shared (even for two empty answers); missing predictions score 0 by default.
    /// </summary>
    /// <param name="examples">The gold questions (unique ids, each with at least one answer), in dataset order.</param>
    /// <param name="predictions">Predicted answer text per question id. Extra ids are ignored.</param>
    /// <param name="options">Missing-prediction handling; the threshold is not used.</param>
    /// <exception cref="ArgumentException">Duplicate ids, a question without answers, nothing to score, or a missing
    /// prediction under <see cref="MissingPredictionPolicy.Throw"/>.</exception>
    public static SquadMetrics EvaluateV1(IEnumerable<SquadExample> examples, IReadOnlyDictionary<string, string> predictions,
        SquadEvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        var policy = options?.MissingPredictions ?? MissingPredictionPolicy.ScoreZero;
        var missing = new List<string>();
        int total = 0;
        double exact = 0, f1 = 0;
        foreach (var example in UniqueExamples(examples))
        {
            if (example.Answers.Count == 0)
                throw new ArgumentException($"Question '{example.Id}' has no gold answers; SQuAD 1.1 evaluation needs them (use Evaluate for SQuAD 2.0).", nameof(examples));
            if (!predictions.TryGetValue(example.Id, out string? prediction))
            {
                missing.Add(example.Id);
                if (policy == MissingPredictionPolicy.Throw) throw MissingPrediction(example.Id);
                if (policy == MissingPredictionPolicy.ScoreZero) total++;
                continue;
            }
            total++;
            exact += example.Answers.Max(a => SquadScoring.ExactMatch(a.Text, prediction));
            f1 += example.Answers.Max(a => SquadScoring.F1V1(a.Text, prediction));
        }
        if (total == 0) throw new ArgumentException("No question to score.", nameof(predictions));
        return new SquadMetrics(SquadVersion.V1_1, 100.0 * exact / total, 100.0 * f1 / total, total,
            null, null, null, null, null, null, missing);
    }

    // apply_no_ans_threshold, for exact and F1 at once.
    static (double[] Exact, double[] F1) ApplyNoAnswerThreshold(List<QuestionScore> scored, IReadOnlyDictionary<string, double>? probabilities, double threshold)
    {
        var exact = new double[scored.Count];
        var f1 = new double[scored.Count];
        for (int i = 0; i < scored.Count; i++)
        {
            var s = scored[i];
            (exact[i], f1[i]) = (s.Exact, s.F1);
            if (probabilities is null || s.Prediction is null) continue;
            if (!probabilities.TryGetValue(s.Id, out double p))
                throw new ArgumentException($"No no-answer probability for question '{s.Id}'.", "noAnswerProbabilities");
            if (p > threshold) exact[i] = f1[i] = s.HasAnswer ? 0 : 1;
        }
        return (exact, f1);
    }

    // make_eval_dict over the questions that match.
    static SquadSubsetMetrics? Subset(List<QuestionScore> scored, double[] exact, double[] f1, Func<QuestionScore, bool> take)
    {
        int total = 0;
        double exactSum = 0, f1Sum = 0;
        for (int i = 0; i < scored.Count; i++)
        {
            if (!take(scored[i])) continue;
            total++;
            exactSum += exact[i];
            f1Sum += f1[i];
        }
        return total == 0 ? null : new SquadSubsetMetrics(100.0 * exactSum / total, 100.0 * f1Sum / total, total);
    }

    static List<SquadExample> UniqueExamples(IEnumerable<SquadExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var list = examples.ToList();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in list)
            if (!ids.Add(e.Id)) throw new ArgumentException($"Question id '{e.Id}' occurs more than once.", nameof(examples));
        return list;
    }

    static ArgumentException MissingPrediction(string id) =>
        new($"Missing prediction for question '{id}'.", "predictions");
}

/// <summary>One question's raw scores; <see cref="Prediction"/> is null when the prediction was missing.</summary>
internal sealed record QuestionScore(string Id, bool HasAnswer, string? Prediction, double Exact, double F1);
