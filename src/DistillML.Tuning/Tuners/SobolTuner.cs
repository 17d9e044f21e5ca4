using DistillML.Tuning.Objectives;
using DistillML.Tuning.Sampling;
using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Trials;

namespace DistillML.Tuning.Tuners;

/// <summary>
/// A space-filling design: the k-th proposal (k = finished + pending trials) is the k-th point of a
/// digitally shifted Sobol sequence, so concurrent proposals take consecutive, distinct design points.
/// </summary>
public sealed class SobolTuner : IConfigurableTuner
{
    private readonly int _seed;
    private SearchSpace.SearchSpace? _space;
    private SobolSequence? _sobol;

    /// <summary>Creates a Sobol tuner over <paramref name="space"/>.</summary>
    public SobolTuner(SearchSpace.SearchSpace space, int seed = 0)
        : this(seed) => SetSpace(space ?? throw new ArgumentNullException(nameof(space)));

    /// <summary>Creates a Sobol tuner whose space comes later through <see cref="Configure"/>.</summary>
    public SobolTuner(int seed = 0) => _seed = seed;

    /// <summary>The trials seen so far.</summary>
    public TrialHistory History { get; } = new();

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
    }

    /// <inheritdoc />
    public Parameter Propose(TrialSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var space = _space ?? throw new InvalidOperationException("The tuner has no search space yet; call Configure first.");
        var x = _sobol?.Take(1, skip: History.TrialCount)[0] ?? Array.Empty<double>();
        var p = space.SampleFromFeatureSpace(x);
        settings.Parameter = p;
        History.AddPending(settings.TrialId, p);
        return p;
    }

    /// <inheritdoc />
    public void Update(TrialResult result) => History.Record(result);

    private void SetSpace(SearchSpace.SearchSpace space)
    {
        _space = space;
        _sobol = space.FeatureCount > 0 ? new SobolSequence(space.FeatureCount, _seed) : null;
    }
}
