using DistillML.Tuning.SearchSpace;

namespace DistillML.Tuning.Objectives;

/// <summary>One objective of a sweep: a name, a direction, a kind and an optional hypervolume reference value.</summary>
public sealed class Objective
{
    private Objective(string name, ObjectiveDirection direction, Func<Parameter, double>? known, double? referenceValue)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("An objective needs a name.", nameof(name));
        }

        Name = name;
        Direction = direction;
        KnownFunction = known;
        ReferenceValue = referenceValue;
    }

    /// <summary>The metric name (black-box) or a label (known).</summary>
    public string Name { get; }

    /// <summary>Better low or high.</summary>
    public ObjectiveDirection Direction { get; }

    /// <summary>Black-box or known.</summary>
    public ObjectiveKind Kind => KnownFunction is null ? ObjectiveKind.BlackBox : ObjectiveKind.Known;

    /// <summary>For known objectives, the exact function of the parameters.</summary>
    public Func<Parameter, double>? KnownFunction { get; }

    /// <summary>
    /// The worst value that still counts (the hypervolume reference point coordinate, in the objective's own
    /// units and direction), or null to let the tuner derive one from the observations.
    /// </summary>
    public double? ReferenceValue { get; }

    /// <summary>A black-box objective to minimize.</summary>
    public static Objective Minimize(string name, double? referenceValue = null) => new(name, ObjectiveDirection.Minimize, null, referenceValue);

    /// <summary>A black-box objective to maximize.</summary>
    public static Objective Maximize(string name, double? referenceValue = null) => new(name, ObjectiveDirection.Maximize, null, referenceValue);

    /// <summary>A known objective to minimize, such as a parameter count.</summary>
    public static Objective MinimizeKnown(string name, Func<Parameter, double> function, double? referenceValue = null) =>
        new(name, ObjectiveDirection.Minimize, function ?? throw new ArgumentNullException(nameof(function)), referenceValue);

    /// <summary>A known objective to maximize.</summary>
    public static Objective MaximizeKnown(string name, Func<Parameter, double> function, double? referenceValue = null) =>
        new(name, ObjectiveDirection.Maximize, function ?? throw new ArgumentNullException(nameof(function)), referenceValue);

    /// <summary>The value in minimization convention (negated when maximizing).</summary>
    public double ToMinimization(double value) => Direction == ObjectiveDirection.Minimize ? value : -value;
}
