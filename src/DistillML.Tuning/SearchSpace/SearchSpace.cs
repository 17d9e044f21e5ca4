namespace DistillML.Tuning.SearchSpace;

/// <summary>
/// An ordered set of typed dimensions with a mapping to and from the unit cube [0, 1]^d
/// (<see cref="FeatureCount"/> = d) that the tuners work in, like ML.NET AutoML's <c>SearchSpace</c>.
/// Build one fluently with <see cref="Create"/> or from attributes with <see cref="FromOptions{T}"/>.
/// </summary>
public sealed class SearchSpace
{
    private readonly SearchDimension[] _dimensions;
    private readonly int[] _offsets;

    /// <summary>Creates a space from dimensions (names must be unique).</summary>
    public SearchSpace(IEnumerable<SearchDimension> dimensions)
    {
        _dimensions = dimensions?.ToArray() ?? throw new ArgumentNullException(nameof(dimensions));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        _offsets = new int[_dimensions.Length];
        var offset = 0;
        for (var i = 0; i < _dimensions.Length; i++)
        {
            var d = _dimensions[i];
            if (!seen.Add(d.Name))
            {
                throw new ArgumentException($"The search space has two parameters named '{d.Name}'.", nameof(dimensions));
            }

            if (d is NestedGroup { ActiveWhen: { } parent } && !_dimensions.Take(i).Any(p => p.Name == parent))
            {
                throw new ArgumentException($"Conditional group '{d.Name}' depends on '{parent}', which is not an earlier parameter.", nameof(dimensions));
            }

            _offsets[i] = offset;
            offset += d.FeatureCount;
        }

        FeatureCount = offset;
    }

    /// <summary>Starts a fluent builder.</summary>
    public static SearchSpaceBuilder Create() => new();

    /// <summary>Builds a space from the attributes on the public properties of <typeparamref name="T"/>.</summary>
    public static SearchSpace FromOptions<T>() => AttributeSearchSpaceReader.Read(typeof(T));

    /// <summary>The dimensions, in order.</summary>
    public IReadOnlyList<SearchDimension> Dimensions => _dimensions;

    /// <summary>The number of unit-cube coordinates.</summary>
    public int FeatureCount { get; }

    /// <summary>The default point.</summary>
    public Parameter Default => SampleFromFeatureSpace(MappingToFeatureSpace(DefaultsDirect()));

    /// <summary>Maps a parameter to unit-cube coordinates; missing values take their defaults.</summary>
    public double[] MappingToFeatureSpace(Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        var features = new double[FeatureCount];
        for (var i = 0; i < _dimensions.Length; i++)
        {
            var d = _dimensions[i];
            var value = parameter.TryGetValue(d.Name, out var v) ? v : d.Default;
            d.ToFeatures(value, features.AsSpan(_offsets[i], d.FeatureCount));
        }

        return features;
    }

    /// <summary>Maps unit-cube coordinates (clamped to [0, 1]) to a parameter; inactive conditional groups are left out.</summary>
    public Parameter SampleFromFeatureSpace(ReadOnlySpan<double> features)
    {
        if (features.Length != FeatureCount)
        {
            throw new ArgumentException($"Expected {FeatureCount} coordinates, got {features.Length}.", nameof(features));
        }

        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        var items = new List<KeyValuePair<string, object>>(_dimensions.Length);
        for (var i = 0; i < _dimensions.Length; i++)
        {
            var d = _dimensions[i];
            if (d is NestedGroup g && !g.IsActive(values))
            {
                continue;
            }

            var value = d.FromFeatures(features.Slice(_offsets[i], d.FeatureCount));
            values[d.Name] = value;
            items.Add(new(d.Name, value));
        }

        return new Parameter(items);
    }

    /// <summary>
    /// The coordinates of the parameter nearest to <paramref name="features"/>: integers rounded,
    /// choices snapped to their bin or one-hot vertex. The optimizers model snapped points only.
    /// </summary>
    public double[] Snap(ReadOnlySpan<double> features) => MappingToFeatureSpace(SampleFromFeatureSpace(features));

    /// <summary>The offset of the coordinates of dimension <paramref name="index"/>.</summary>
    public int FeatureOffset(int index) => _offsets[index];

    private Parameter DefaultsDirect() =>
        new(_dimensions.Select(d => new KeyValuePair<string, object>(d.Name, d.Default)));
}
