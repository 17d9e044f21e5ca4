using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Trials;

namespace DistillML.Tuning.Objectives;

/// <summary>What a sweep optimizes: a search space, one or more objectives and optional constraints.</summary>
public sealed class TuningProblem
{
    /// <summary>Creates a problem; objective and constraint names must be unique.</summary>
    public TuningProblem(SearchSpace.SearchSpace space, IEnumerable<Objective> objectives, IEnumerable<Constraint>? constraints = null)
    {
        Space = space ?? throw new ArgumentNullException(nameof(space));
        Objectives = objectives?.ToArray() ?? throw new ArgumentNullException(nameof(objectives));
        Constraints = constraints?.ToArray() ?? Array.Empty<Constraint>();
        if (Objectives.Count == 0)
        {
            throw new ArgumentException("A tuning problem needs at least one objective.", nameof(objectives));
        }

        var names = Objectives.Select(o => o.Name).Concat(Constraints.Select(c => c.Name)).ToList();
        var duplicate = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"The name '{duplicate.Key}' is used twice among objectives and constraints.", nameof(objectives));
        }
    }

    /// <summary>The search space.</summary>
    public SearchSpace.SearchSpace Space { get; }

    /// <summary>The objectives.</summary>
    public IReadOnlyList<Objective> Objectives { get; }

    /// <summary>The constraints.</summary>
    public IReadOnlyList<Constraint> Constraints { get; }

    /// <summary>
    /// The objective values of a completed trial in minimization convention (known objectives computed from
    /// the parameter), or null when a black-box metric is missing or not finite.
    /// </summary>
    public double[]? ObjectiveVector(TrialResult result)
    {
        var y = new double[Objectives.Count];
        for (var j = 0; j < y.Length; j++)
        {
            var o = Objectives[j];
            double v;
            if (o.KnownFunction is { } f)
            {
                v = f(result.TrialSettings.Parameter);
            }
            else if (!result.Metrics.TryGetValue(o.Name, out v))
            {
                return null;
            }

            if (!double.IsFinite(v))
            {
                return null;
            }

            y[j] = o.ToMinimization(v);
        }

        return y;
    }

    /// <summary>Whether <paramref name="parameter"/> satisfies every known constraint (black-box ones are unknown before the trial runs).</summary>
    public bool SatisfiesKnownConstraints(Parameter parameter) =>
        Constraints.All(c => c.KnownFunction is not { } f || c.IsSatisfiedBy(f(parameter)));

    /// <summary>Whether a completed trial satisfies every constraint (a missing black-box metric counts as violated).</summary>
    public bool IsFeasible(TrialResult result)
    {
        foreach (var c in Constraints)
        {
            double v;
            if (c.KnownFunction is { } f)
            {
                v = f(result.TrialSettings.Parameter);
            }
            else if (!result.Metrics.TryGetValue(c.Name, out v))
            {
                return false;
            }

            if (!c.IsSatisfiedBy(v))
            {
                return false;
            }
        }

        return true;
    }
}
