namespace DistillML.Tuning.SearchSpace;

/// <summary>
/// One named entry of a <see cref="SearchSpace"/> and its mapping to and from a slice of the
/// unit cube in which the optimizers work (the AutoML "feature space").
/// </summary>
public abstract class SearchDimension
{
    /// <summary>Creates a dimension.</summary>
    /// <param name="name">The parameter name; must be non-empty.</param>
    protected SearchDimension(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("A search dimension needs a non-empty name.", nameof(name));
        }

        Name = name;
    }

    /// <summary>The parameter name.</summary>
    public string Name { get; }

    /// <summary>How many unit-cube coordinates this dimension occupies.</summary>
    public abstract int FeatureCount { get; }

    /// <summary>The default value.</summary>
    public abstract object Default { get; }

    /// <summary>Writes the unit-cube coordinates of <paramref name="value"/> into <paramref name="features"/>.</summary>
    public abstract void ToFeatures(object value, Span<double> features);

    /// <summary>Reads a value back from unit-cube coordinates (each clamped to [0, 1]).</summary>
    public abstract object FromFeatures(ReadOnlySpan<double> features);

    /// <summary>Clamps a coordinate to [0, 1].</summary>
    protected static double Clamp01(double x) => double.IsNaN(x) ? 0.5 : Math.Clamp(x, 0.0, 1.0);

    /// <summary>The index of the bin of <paramref name="x"/> among <paramref name="count"/> equal bins of [0, 1].</summary>
    protected static int Bin(double x, int count) => Math.Min(count - 1, (int)Math.Floor(Clamp01(x) * count));
}
