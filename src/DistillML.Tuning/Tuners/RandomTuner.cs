using DistillML.Tuning.Objectives;
using DistillML.Tuning.Sampling;
using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Trials;

namespace DistillML.Tuning.Tuners;

/// <summary>
/// Uniform random search in the unit cube. Trial <c>i</c>'s proposal depends only on the seed and the trial id,
/// so it repeats exactly, in any order, after a resume.
/// </summary>
public sealed class RandomTuner : SamplingTuner, IConfigurableTuner
{
    private readonly int _seed;
    private SearchSpace.SearchSpace? _space;
    private TuningProblem? _problem;

    /// <summary>Draws per proposal before giving up on the known constraints.</summary>
    public const int MaxDraws = 100_000;

    /// <summary>Creates a random tuner over <paramref name="space"/>.</summary>
    public RandomTuner(SearchSpace.SearchSpace space, int seed = 0)
        : this(seed) => _space = space ?? throw new ArgumentNullException(nameof(space));

    /// <summary>Creates a random tuner over <paramref name="problem"/>'s space that proposes only points satisfying its known constraints (by rejection).</summary>
    public RandomTuner(TuningProblem problem, int seed = 0)
        : this(seed) => Configure(problem);

    /// <summary>Creates a random tuner whose space comes later through <see cref="Configure"/>.</summary>
    public RandomTuner(int seed = 0) => _seed = seed;

    /// <inheritdoc />
    public bool IsConfigured => _space is not null;

    /// <inheritdoc />
    public void Configure(TuningProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        _space = _space is null ? problem.Space : throw new InvalidOperationException("The tuner is already configured.");
        _problem = problem;
    }

    /// <inheritdoc />
    /// <remarks>Depends on the seed and <paramref name="trialId"/> only.</remarks>
    public override Parameter Sample(StudySnapshot study, int trialId)
    {
        ArgumentNullException.ThrowIfNull(study);
        var space = _space ?? throw new InvalidOperationException("The tuner has no search space yet; call Configure first.");
        var rng = new Random(SeedMixer.Mix(_seed, trialId));
        var x = new double[space.FeatureCount];
        // Rejection keeps the distribution uniform over the feasible region, as the Bayesian tuner's candidates are.
        for (int draw = 0; ; draw++)
        {
            for (var i = 0; i < x.Length; i++)
            {
                x[i] = rng.NextDouble();
            }

            var candidate = space.SampleFromFeatureSpace(x);
            if (_problem is null || _problem.SatisfiesKnownConstraints(candidate))
            {
                return candidate;
            }

            if (draw >= MaxDraws)
            {
                throw new InvalidOperationException($"No point satisfying the known constraints was found in {MaxDraws:N0} random draws; the feasible region is empty or very small.");
            }
        }
    }

}
