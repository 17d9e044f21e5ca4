namespace DistillML.Tuning.SearchSpace;

/// <summary>
/// One of a list of values. Ordered choices take one unit-cube coordinate split into equal bins
/// (ordinal); unordered choices take one coordinate per value (one-hot, the largest wins).
/// </summary>
public sealed class ChoiceDimension : SearchDimension
{
    private readonly object[] _values;
    private readonly int _defaultIndex;

    /// <summary>Creates a choice.</summary>
    /// <param name="name">Parameter name.</param>
    /// <param name="values">The candidates (int, double, string or bool); at least one, no duplicates.</param>
    /// <param name="ordered">Whether the values have a meaningful order (ordinal encoding) or not (one-hot).</param>
    /// <param name="init">Default value; the first value when omitted.</param>
    public ChoiceDimension(string name, IEnumerable<object> values, bool ordered = false, object? init = null)
        : base(name)
    {
        _values = values?.ToArray() ?? throw new ArgumentNullException(nameof(values));
        if (_values.Length == 0)
        {
            throw new ArgumentException($"Choice '{name}' has no values.", nameof(values));
        }

        if (_values.Distinct().Count() != _values.Length)
        {
            throw new ArgumentException($"Choice '{name}' has duplicate values.", nameof(values));
        }

        Ordered = ordered;
        _defaultIndex = init is null ? 0 : IndexOf(init);
        if (_defaultIndex < 0)
        {
            throw new ArgumentException($"Choice '{name}': init ({init}) is not one of the values.", nameof(init));
        }
    }

    /// <summary>The candidates, in order.</summary>
    public IReadOnlyList<object> Values => _values;

    /// <summary>Whether the encoding is ordinal (true) or one-hot (false).</summary>
    public bool Ordered { get; }

    /// <inheritdoc />
    public override int FeatureCount => Ordered || _values.Length == 1 ? 1 : _values.Length;

    /// <inheritdoc />
    public override object Default => _values[_defaultIndex];

    /// <inheritdoc />
    public override void ToFeatures(object value, Span<double> features)
    {
        var index = IndexOf(value);
        if (index < 0)
        {
            throw new ArgumentException($"Choice '{Name}': {value} is not one of the values.", nameof(value));
        }

        if (FeatureCount == 1)
        {
            features[0] = (index + 0.5) / _values.Length;
            return;
        }

        for (var i = 0; i < _values.Length; i++)
        {
            features[i] = i == index ? 1.0 : 0.0;
        }
    }

    /// <inheritdoc />
    public override object FromFeatures(ReadOnlySpan<double> features)
    {
        if (FeatureCount == 1)
        {
            return _values[Bin(features[0], _values.Length)];
        }

        var best = 0;
        for (var i = 1; i < _values.Length; i++)
        {
            if (Clamp01(features[i]) > Clamp01(features[best]))
            {
                best = i;
            }
        }

        return _values[best];
    }

    private int IndexOf(object value)
    {
        for (var i = 0; i < _values.Length; i++)
        {
            if (Equals(_values[i], value) || (IsNumber(_values[i]) && IsNumber(value)
                && Convert.ToDouble(_values[i], System.Globalization.CultureInfo.InvariantCulture)
                   == Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsNumber(object o) => o is int or long or double or float or decimal or short or byte;
}
