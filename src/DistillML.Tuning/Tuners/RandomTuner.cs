using DistillML.Tuning.Objectives;
using DistillML.Tuning.Sampling;
using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Trials;

namespace DistillML.Tuning.Tuners;

/// <summary>
/// Uniform random search in the unit cube. Trial <c>i</c>'s proposal depends only on the seed and the trial id,
/// so it repeats exactly, in any order, after a resume.
/// </summary>
public sealed class RandomTuner : IConfigurableTuner
{
    private readonly int _seed;
    private SearchSpace.SearchSpace? _space;

    /// <summary>Creates a random tuner over <paramref name="space"/>.</summary>
    public RandomTuner(SearchSpace.SearchSpace space, int seed = 0)
        : this(seed) => _space = space ?? throw new ArgumentNullException(nameof(space));

    /// <summary>Creates a random tuner whose space comes later through <see cref="Configure"/>.</summary>
    public RandomTuner(int seed = 0) => _seed = seed;

    /// <summary>The trials seen so far.</summary>
    public TrialHistory History { get; } = new();

    /// <inheritdoc />
    public bool IsConfigured => _space is not null;

    /// <inheritdoc />
    public void Configure(TuningProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        _space = _space is null ? problem.Space : throw new InvalidOperationException("The tuner is already configured.");
    }

    /// <inheritdoc />
    public Parameter Propose(TrialSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var space = _space ?? throw new InvalidOperationException("The tuner has no search space yet; call Configure first.");
        var rng = new Random(SeedMixer.Mix(_seed, settings.TrialId));
        var x = new double[space.FeatureCount];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = rng.NextDouble();
        }

        var p = space.SampleFromFeatureSpace(x);
        settings.Parameter = p;
        History.AddPending(settings.TrialId, p);
        return p;
    }

    /// <inheritdoc />
    public void Update(TrialResult result) => History.Record(result);
}
