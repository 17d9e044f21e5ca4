using DistillML.Tuning.Sampling;
using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Trials;

namespace DistillML.Tuning.Tuners;

/// <summary>
/// Uniform random search in the unit cube. Trial <c>i</c>'s proposal depends only on the seed and the trial id,
/// so it repeats exactly, in any order, after a resume.
/// </summary>
public sealed class RandomTuner : ITuner
{
    private readonly SearchSpace.SearchSpace _space;
    private readonly int _seed;

    /// <summary>Creates a random tuner over <paramref name="space"/>.</summary>
    public RandomTuner(SearchSpace.SearchSpace space, int seed = 0)
    {
        _space = space ?? throw new ArgumentNullException(nameof(space));
        _seed = seed;
    }

    /// <summary>The trials seen so far.</summary>
    public TrialHistory History { get; } = new();

    /// <inheritdoc />
    public Parameter Propose(TrialSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var rng = new Random(SeedMixer.Mix(_seed, settings.TrialId));
        var x = new double[_space.FeatureCount];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = rng.NextDouble();
        }

        var p = _space.SampleFromFeatureSpace(x);
        settings.Parameter = p;
        History.AddPending(settings.TrialId, p);
        return p;
    }

    /// <inheritdoc />
    public void Update(TrialResult result) => History.Record(result);
}
