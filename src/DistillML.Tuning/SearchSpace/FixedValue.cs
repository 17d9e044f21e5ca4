namespace DistillML.Tuning.SearchSpace;

/// <summary>A constant: always the same value, no unit-cube coordinate.</summary>
public sealed class FixedValue : SearchDimension
{
    private readonly object _value;

    /// <summary>Creates a fixed value.</summary>
    public FixedValue(string name, object value)
        : base(name) => _value = value ?? throw new ArgumentNullException(nameof(value));

    /// <inheritdoc />
    public override int FeatureCount => 0;

    /// <inheritdoc />
    public override object Default => _value;

    /// <inheritdoc />
    public override void ToFeatures(object value, Span<double> features)
    {
    }

    /// <inheritdoc />
    public override object FromFeatures(ReadOnlySpan<double> features) => _value;
}
