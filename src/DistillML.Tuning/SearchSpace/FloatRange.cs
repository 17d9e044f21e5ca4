using System.Globalization;

namespace DistillML.Tuning.SearchSpace;

/// <summary>A real number in [<see cref="Min"/>, <see cref="Max"/>], on a linear or log scale.</summary>
public sealed class FloatRange : SearchDimension
{
    private readonly double _default;

    /// <summary>Creates a float range.</summary>
    /// <param name="name">Parameter name.</param>
    /// <param name="min">Lower bound.</param>
    /// <param name="max">Upper bound; must be greater than <paramref name="min"/>.</param>
    /// <param name="init">Default value; the (geometric, for log scale) middle when omitted.</param>
    /// <param name="logScale">Whether the unit cube maps to log(value); needs <paramref name="min"/> &gt; 0.</param>
    public FloatRange(string name, double min, double max, double? init = null, bool logScale = false)
        : base(name)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max))
        {
            throw new ArgumentException($"Float range '{name}': bounds must be finite.", nameof(min));
        }

        if (min > max)
        {
            throw new ArgumentException($"Float range '{name}': min ({min}) is greater than max ({max}).", nameof(min));
        }

        if (min == max)
        {
            throw new ArgumentException($"Float range '{name}' is empty (min == max == {min}); use a fixed value instead.", nameof(max));
        }

        if (logScale && min <= 0)
        {
            throw new ArgumentException($"Float range '{name}': a log scale needs min > 0 (got {min}).", nameof(min));
        }

        Min = min;
        Max = max;
        LogScale = logScale;
        _default = init ?? (logScale ? Math.Sqrt(min * max) : (min + max) / 2);
        if (_default < min || _default > max)
        {
            throw new ArgumentException($"Float range '{name}': init ({_default}) is outside [{min}, {max}].", nameof(init));
        }
    }

    /// <summary>Lower bound.</summary>
    public double Min { get; }

    /// <summary>Upper bound.</summary>
    public double Max { get; }

    /// <summary>Whether the unit cube maps to log(value).</summary>
    public bool LogScale { get; }

    /// <inheritdoc />
    public override int FeatureCount => 1;

    /// <inheritdoc />
    public override object Default => _default;

    /// <inheritdoc />
    public override void ToFeatures(object value, Span<double> features)
    {
        var v = Math.Clamp(Convert.ToDouble(value, CultureInfo.InvariantCulture), Min, Max);
        features[0] = LogScale
            ? (Math.Log(v) - Math.Log(Min)) / (Math.Log(Max) - Math.Log(Min))
            : (v - Min) / (Max - Min);
    }

    /// <inheritdoc />
    public override object FromFeatures(ReadOnlySpan<double> features)
    {
        var x = Clamp01(features[0]);
        var v = LogScale
            ? Math.Exp(Math.Log(Min) + x * (Math.Log(Max) - Math.Log(Min)))
            : Min + x * (Max - Min);
        return Math.Clamp(v, Min, Max);
    }
}
