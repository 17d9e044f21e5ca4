using DistillML.Tuning.Objectives;
using DistillML.Tuning.Sampling;
using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Trials;

namespace DistillML.Tuning.Tuners;

/// <summary>
/// A space-filling design: the k-th proposal (k = finished + pending trials) is the k-th point of a
/// digitally shifted Sobol sequence, so concurrent proposals take consecutive, distinct design points.
/// </summary>
public sealed class SobolTuner : SamplingTuner, IConfigurableTuner
{
    private readonly int _seed;
    private SearchSpace.SearchSpace? _space;
    private SobolSequence? _sobol;
    private TuningProblem? _problem;

    /// <summary>Creates a Sobol tuner over <paramref name="space"/>.</summary>
    public SobolTuner(SearchSpace.SearchSpace space, int seed = 0)
        : this(seed) => SetSpace(space ?? throw new ArgumentNullException(nameof(space)));

    /// <summary>Creates a Sobol tuner over <paramref name="problem"/>'s space whose k-th proposal is the k-th design point satisfying its known constraints.</summary>
    public SobolTuner(TuningProblem problem, int seed = 0)
        : this(seed) => Configure(problem);

    /// <summary>Creates a Sobol tuner whose space comes later through <see cref="Configure"/>.</summary>
    public SobolTuner(int seed = 0) => _seed = seed;

    /// <inheritdoc />
    public bool IsConfigured => _space is not null;

    /// <inheritdoc />
    public void Configure(TuningProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (_space is not null)
        {
            throw new InvalidOperationException("The tuner is already configured.");
        }

        SetSpace(problem.Space);
        _problem = problem;
    }

    /// <inheritdoc />
    /// <remarks>The k-th feasible design point, k the study's finished plus pending trials.</remarks>
    public override Parameter Sample(StudySnapshot study, int trialId)
    {
        ArgumentNullException.ThrowIfNull(study);
        var space = _space ?? throw new InvalidOperationException("The tuner has no search space yet; call Configure first.");
        return FeasiblePoint(space, study.TrialCount);
    }

    // The k-th design point that satisfies the known constraints (every point when there are none), so concurrent
    // proposals still take consecutive, distinct feasible points.
    private Parameter FeasiblePoint(SearchSpace.SearchSpace space, int k)
    {
        if (_sobol is null) return space.SampleFromFeatureSpace(Array.Empty<double>());
        if (_problem is null || _problem.Constraints.All(c => c.KnownFunction is null))
            return space.SampleFromFeatureSpace(_sobol.Take(1, skip: k)[0]);
        int feasible = 0, skip = 0;
        const int Block = 256;
        while (skip < RandomTuner.MaxDraws + k)
        {
            foreach (var x in _sobol.Take(Block, skip))
            {
                var p = space.SampleFromFeatureSpace(x);
                if (_problem.SatisfiesKnownConstraints(p) && feasible++ == k) return p;
            }
            skip += Block;
        }
        throw new InvalidOperationException($"Fewer than {k + 1} design points satisfy the known constraints; the feasible region is empty or very small.");
    }

    private void SetSpace(SearchSpace.SearchSpace space)
    {
        _space = space;
        _sobol = space.FeatureCount > 0 ? new SobolSequence(space.FeatureCount, _seed) : null;
    }
}
