using DistillML.Tuning.SearchSpace;

namespace DistillML.Tuning.Objectives;

/// <summary>Which side of the bound is feasible.</summary>
public enum ConstraintSense
{
    /// <summary>Feasible when value &lt;= bound.</summary>
    AtMost,

    /// <summary>Feasible when value &gt;= bound.</summary>
    AtLeast,
}

/// <summary>
/// A constraint on a metric (black-box: the tuner weighs candidates by their modelled probability of feasibility)
/// or on a function of the parameters (known: infeasible candidates are never proposed).
/// </summary>
public sealed class Constraint
{
    private Constraint(string name, ConstraintSense sense, double bound, Func<Parameter, double>? known)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("A constraint needs a name.", nameof(name));
        }

        Name = name;
        Sense = sense;
        Bound = bound;
        KnownFunction = known;
    }

    /// <summary>The metric name (black-box) or a label (known).</summary>
    public string Name { get; }

    /// <summary>Which side of <see cref="Bound"/> is feasible.</summary>
    public ConstraintSense Sense { get; }

    /// <summary>The bound.</summary>
    public double Bound { get; }

    /// <summary>For known constraints, the exact function of the parameters.</summary>
    public Func<Parameter, double>? KnownFunction { get; }

    /// <summary>Black-box or known.</summary>
    public ObjectiveKind Kind => KnownFunction is null ? ObjectiveKind.BlackBox : ObjectiveKind.Known;

    /// <summary>Metric <paramref name="name"/> must be at most <paramref name="bound"/>.</summary>
    public static Constraint AtMost(string name, double bound) => new(name, ConstraintSense.AtMost, bound, null);

    /// <summary>Metric <paramref name="name"/> must be at least <paramref name="bound"/>.</summary>
    public static Constraint AtLeast(string name, double bound) => new(name, ConstraintSense.AtLeast, bound, null);

    /// <summary>A known function of the parameters must be at most <paramref name="bound"/>.</summary>
    public static Constraint KnownAtMost(string name, Func<Parameter, double> function, double bound) =>
        new(name, ConstraintSense.AtMost, bound, function ?? throw new ArgumentNullException(nameof(function)));

    /// <summary>A known function of the parameters must be at least <paramref name="bound"/>.</summary>
    public static Constraint KnownAtLeast(string name, Func<Parameter, double> function, double bound) =>
        new(name, ConstraintSense.AtLeast, bound, function ?? throw new ArgumentNullException(nameof(function)));

    /// <summary>The signed slack in "at most" form: feasible when &lt;= 0.</summary>
    public double Violation(double value) => Sense == ConstraintSense.AtMost ? value - Bound : Bound - value;

    /// <summary>Whether <paramref name="value"/> satisfies the constraint.</summary>
    public bool IsSatisfiedBy(double value) => Violation(value) <= 0;
}
