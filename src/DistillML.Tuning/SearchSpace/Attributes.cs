namespace DistillML.Tuning.SearchSpace;

/// <summary>
/// Marks a numeric property as a range, like Microsoft.ML.SearchSpace's <c>[Range]</c>:
/// an integer range when the property is an integer, a float range otherwise.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RangeAttribute : Attribute
{
    /// <summary>An integer range.</summary>
    public RangeAttribute(int min, int max, int init, bool logBase = false)
    {
        Min = min;
        Max = max;
        Init = init;
        LogBase = logBase;
    }

    /// <summary>An integer range with the middle as default.</summary>
    public RangeAttribute(int min, int max)
    {
        Min = min;
        Max = max;
    }

    /// <summary>A float range.</summary>
    public RangeAttribute(double min, double max, double init, bool logBase = false)
    {
        Min = min;
        Max = max;
        Init = init;
        LogBase = logBase;
    }

    /// <summary>A float range with the middle as default.</summary>
    public RangeAttribute(double min, double max, bool logBase = false)
    {
        Min = min;
        Max = max;
        LogBase = logBase;
    }

    /// <summary>Lower bound.</summary>
    public double Min { get; }

    /// <summary>Upper bound.</summary>
    public double Max { get; }

    /// <summary>Default, or null for the middle.</summary>
    public double? Init { get; }

    /// <summary>Whether the scale is logarithmic.</summary>
    public bool LogBase { get; }
}

/// <summary>Marks a property as a choice among the given values, like Microsoft.ML.SearchSpace's <c>[Choice]</c>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ChoiceAttribute : Attribute
{
    /// <summary>A choice among <paramref name="values"/> (the first is the default).</summary>
    public ChoiceAttribute(params object[] values) => Values = values;

    /// <summary>The candidates.</summary>
    public IReadOnlyList<object> Values { get; }

    /// <summary>Whether the values are ordered (ordinal encoding); one-hot otherwise.</summary>
    public bool Ordered { get; set; }
}

/// <summary>Marks a bool property as a choice of false and true, like Microsoft.ML.SearchSpace's <c>[BooleanChoice]</c>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class BooleanChoiceAttribute : Attribute
{
    /// <summary>A boolean choice with the given default.</summary>
    public BooleanChoiceAttribute(bool defaultValue = false) => DefaultValue = defaultValue;

    /// <summary>The default.</summary>
    public bool DefaultValue { get; }
}

/// <summary>Marks a property whose type is itself an options class: a nested group, like Microsoft.ML.SearchSpace's <c>[Option]</c>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OptionAttribute : Attribute
{
}
