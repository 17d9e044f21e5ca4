using System.Globalization;

namespace DistillML.Tuning.SearchSpace;

/// <summary>An integer in [<see cref="Min"/>, <see cref="Max"/>], linear or log scale; unit-cube values are rounded.</summary>
public sealed class IntegerRange : SearchDimension
{
    private readonly int _default;

    /// <summary>Creates an integer range.</summary>
    /// <param name="name">Parameter name.</param>
    /// <param name="min">Smallest value (inclusive).</param>
    /// <param name="max">Largest value (inclusive); must be at least <paramref name="min"/>.</param>
    /// <param name="init">Default value; the middle of the range when omitted.</param>
    /// <param name="logScale">Whether values are spread on a log scale; needs <paramref name="min"/> &gt; 0.</param>
    public IntegerRange(string name, int min, int max, int? init = null, bool logScale = false)
        : base(name)
    {
        if (min > max)
        {
            throw new ArgumentException($"Integer range '{name}': min ({min}) is greater than max ({max}).", nameof(min));
        }

        if (logScale && min <= 0)
        {
            throw new ArgumentException($"Integer range '{name}': a log scale needs min > 0 (got {min}).", nameof(min));
        }

        Min = min;
        Max = max;
        LogScale = logScale;
        _default = init ?? (int)Math.Round(logScale ? Math.Sqrt((double)min * max) : (min + max) / 2.0);
        if (_default < min || _default > max)
        {
            throw new ArgumentException($"Integer range '{name}': init ({_default}) is outside [{min}, {max}].", nameof(init));
        }
    }

    /// <summary>Smallest value.</summary>
    public int Min { get; }

    /// <summary>Largest value.</summary>
    public int Max { get; }

    /// <summary>Whether the unit cube maps to log(value).</summary>
    public bool LogScale { get; }

    /// <inheritdoc />
    public override int FeatureCount => 1;

    /// <inheritdoc />
    public override object Default => _default;

    /// <inheritdoc />
    public override void ToFeatures(object value, Span<double> features)
    {
        var v = Math.Clamp(Convert.ToInt32(value, CultureInfo.InvariantCulture), Min, Max);
        if (LogScale)
        {
            // Bins of equal width in log space: [log(v - 0.5), log(v + 0.5)] clipped to the range edges.
            var lo = Math.Log(Min - 0.5 <= 0 ? Min * 0.5 : Min - 0.5);
            var hi = Math.Log(Max + 0.5);
            features[0] = (Math.Log(v) - lo) / (hi - lo);
        }
        else
        {
            features[0] = (v - Min + 0.5) / (Max - Min + 1.0);
        }
    }

    /// <inheritdoc />
    public override object FromFeatures(ReadOnlySpan<double> features)
    {
        var x = Clamp01(features[0]);
        if (LogScale)
        {
            var lo = Math.Log(Min - 0.5 <= 0 ? Min * 0.5 : Min - 0.5);
            var hi = Math.Log(Max + 0.5);
            return Math.Clamp((int)Math.Round(Math.Exp(lo + x * (hi - lo))), Min, Max);
        }

        return Min + Bin(x, Max - Min + 1);
    }
}
