using DistillML.Tuning.GaussianProcesses;
using DistillML.Tuning.Objectives;
using DistillML.Tuning.Sampling;
using DistillML.Tuning.SearchSpace;

namespace DistillML.Tuning.Acquisition;

/// <summary>
/// The acquisition of a unit-cube point: expected hypervolume improvement of its objectives (black-box ones
/// from their Gaussian processes, known ones exactly), times the probability that each black-box constraint
/// holds, times the modelled probability that the trial does not fail; zero when a known constraint fails.
/// </summary>
internal sealed class CandidateScorer
{
    private readonly TuningProblem _problem;
    private readonly GaussianProcess?[] _objectiveModels;
    private readonly (Constraint Constraint, GaussianProcess Model)[] _constraintModels;
    private readonly GaussianProcess? _failureModel;
    private readonly IHypervolumeImprovement _ehvi;

    public CandidateScorer(TuningProblem problem, GaussianProcess?[] objectiveModels,
        (Constraint, GaussianProcess)[] constraintModels, GaussianProcess? failureModel, IHypervolumeImprovement ehvi)
    {
        _problem = problem;
        _objectiveModels = objectiveModels;
        _constraintModels = constraintModels;
        _failureModel = failureModel;
        _ehvi = ehvi;
    }

    /// <summary>Scores a raw unit-cube point (it is snapped to the nearest valid parameter first).</summary>
    public double Score(double[] raw)
    {
        var space = _problem.Space;
        var p = space.SampleFromFeatureSpace(raw);
        foreach (var c in _problem.Constraints)
        {
            if (c.KnownFunction is { } f && !c.IsSatisfiedBy(f(p)))
            {
                return double.NegativeInfinity;
            }
        }

        var x = space.MappingToFeatureSpace(p);
        var m = _problem.Objectives.Count;
        Span<double> mean = stackalloc double[m];
        Span<double> std = stackalloc double[m];
        for (var j = 0; j < m; j++)
        {
            var o = _problem.Objectives[j];
            if (o.KnownFunction is { } f)
            {
                mean[j] = o.ToMinimization(f(p));
                std[j] = 0;
            }
            else
            {
                var (mu, variance) = _objectiveModels[j]!.Predict(x);
                mean[j] = mu;
                std[j] = Math.Sqrt(variance);
            }
        }

        var score = _ehvi.Expected(mean, std);
        foreach (var (c, model) in _constraintModels)
        {
            // The model is of the violation in "at most" form (feasible when <= 0).
            var (mu, variance) = model.Predict(x);
            score *= NormalDistribution.Cdf(-mu / Math.Sqrt(variance + 1e-12));
        }

        if (_failureModel is not null)
        {
            score *= ProbabilityOfSuccess(_failureModel, x);
        }

        return score;
    }

    /// <summary>P(success) from a regression on labels +1 (completed) and -1 (failed).</summary>
    public static double ProbabilityOfSuccess(GaussianProcess model, ReadOnlySpan<double> x)
    {
        var (mu, variance) = model.Predict(x);
        return NormalDistribution.Cdf(mu / Math.Sqrt(variance + 0.05));
    }
}
