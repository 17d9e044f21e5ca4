using DistillML.Tuning.Objectives;

namespace DistillML.Tuning.Pruners;

/// <summary>
/// Asynchronous successive halving: rungs at steps r·η^k (r = <c>minResource</c>, η = <c>reductionFactor</c>).
/// A trial's value at a rung is its first report at or past the rung's step. When a report takes a trial past a rung,
/// the trial continues only if its value ranks among the best ⌈n/η⌉ of the n values recorded at that rung by it and
/// the study's other trials (finished or running; ties kept); between rungs it is never pruned.
/// </summary>
public sealed class SuccessiveHalvingPruner : IPruner
{
    private readonly ObjectiveDirection direction;
    private readonly int minResource;
    private readonly int reductionFactor;

    /// <summary>Creates the pruner.</summary>
    public SuccessiveHalvingPruner(ObjectiveDirection direction, int minResource = 1, int reductionFactor = 3)
    {
        if (minResource < 1) throw new ArgumentOutOfRangeException(nameof(minResource), "The minimum resource must be at least 1.");
        if (reductionFactor < 2) throw new ArgumentOutOfRangeException(nameof(reductionFactor), "The reduction factor must be at least 2.");
        (this.direction, this.minResource, this.reductionFactor) = (direction, minResource, reductionFactor);
    }

    /// <summary>The step of rung <paramref name="k"/>.</summary>
    public long RungStep(int k) => minResource * (long)Math.Pow(reductionFactor, k);

    /// <inheritdoc />
    public bool ShouldPrune(PruningSnapshot study, PrunedTrialView trial)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        if (trial.IntermediateValues.Count == 0) return false;
        var (step, value) = trial.IntermediateValues[^1];
        int? previousStep = trial.IntermediateValues.Count > 1 ? trial.IntermediateValues[^2].Key : null;
        // The rungs this report crosses: those past the previous report and not past this one.
        for (int rung = 0; RungStep(rung) <= step; rung++)
        {
            if (previousStep is { } p && RungStep(rung) <= p) continue;
            var values = study.Trials.Where(t => t.Number != trial.Number).Select(t => ValueAtRung(t, rung)).OfType<double>().Append(value).ToList();
            int keep = (int)Math.Ceiling(values.Count / (double)reductionFactor);
            if (values.Count(v => direction.Better(v, value)) >= keep) return true;
        }
        return false;
    }

    private double? ValueAtRung(PrunedTrialView trial, int rung)
    {
        long at = RungStep(rung);
        foreach (var (s, v) in trial.IntermediateValues)
            if (s >= at) return v;
        return null;
    }
}
