using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Sampling;
using DistillML.Tuning.Trials;

namespace DistillML.Tuning.Tuners;

/// <summary>
/// A space-filling design: the k-th proposal (k = finished + pending trials) is the k-th point of a
/// digitally shifted Sobol sequence, so concurrent proposals take consecutive, distinct design points.
/// </summary>
public sealed class SobolTuner : ITuner
{
    private readonly SearchSpace.SearchSpace _space;
    private readonly SobolSequence? _sobol;

    /// <summary>Creates a Sobol tuner over <paramref name="space"/>.</summary>
    public SobolTuner(SearchSpace.SearchSpace space, int seed = 0)
    {
        _space = space ?? throw new ArgumentNullException(nameof(space));
        _sobol = space.FeatureCount > 0 ? new SobolSequence(space.FeatureCount, seed) : null;
    }

    /// <summary>The trials seen so far.</summary>
    public TrialHistory History { get; } = new();

    /// <inheritdoc />
    public Parameter Propose(TrialSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var x = _sobol?.Take(1, skip: History.TrialCount)[0] ?? Array.Empty<double>();
        var p = _space.SampleFromFeatureSpace(x);
        settings.Parameter = p;
        History.AddPending(settings.TrialId, p);
        return p;
    }

    /// <inheritdoc />
    public void Update(TrialResult result) => History.Record(result);
}
