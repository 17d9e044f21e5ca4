namespace DistillML.Tuning.SearchSpace;

/// <summary>
/// A nested search space whose values form a sub-<see cref="Parameter"/> (AutoML's <c>[Option]</c>).
/// With a condition, the group is present only when an earlier parameter of the same space
/// takes one of <see cref="ActiveWhenValues"/>; its coordinates always exist and are ignored otherwise.
/// </summary>
public sealed class NestedGroup : SearchDimension
{
    /// <summary>Creates a group, unconditional or conditional.</summary>
    /// <param name="name">Parameter name of the group.</param>
    /// <param name="space">The inner space.</param>
    /// <param name="activeWhen">Name of an earlier parameter of the enclosing space that controls the group, or null.</param>
    /// <param name="activeWhenValues">The values of <paramref name="activeWhen"/> that turn the group on.</param>
    public NestedGroup(string name, SearchSpace space, string? activeWhen = null, IEnumerable<object>? activeWhenValues = null)
        : base(name)
    {
        Space = space ?? throw new ArgumentNullException(nameof(space));
        ActiveWhen = activeWhen;
        ActiveWhenValues = activeWhenValues?.ToArray() ?? Array.Empty<object>();
        if (activeWhen is not null && ActiveWhenValues.Count == 0)
        {
            throw new ArgumentException($"Conditional group '{name}' needs at least one value of '{activeWhen}' that activates it.", nameof(activeWhenValues));
        }
    }

    /// <summary>The inner space.</summary>
    public SearchSpace Space { get; }

    /// <summary>The controlling parameter, or null when the group is always present.</summary>
    public string? ActiveWhen { get; }

    /// <summary>The values of <see cref="ActiveWhen"/> that turn the group on.</summary>
    public IReadOnlyList<object> ActiveWhenValues { get; }

    /// <inheritdoc />
    public override int FeatureCount => Space.FeatureCount;

    /// <inheritdoc />
    public override object Default => Space.Default;

    /// <summary>Whether the group is active given the values decided so far.</summary>
    public bool IsActive(IReadOnlyDictionary<string, object> siblings) =>
        ActiveWhen is null
        || (siblings.TryGetValue(ActiveWhen, out var v) && ActiveWhenValues.Any(a => Equals(a, v) || a.ToString() == v.ToString()));

    /// <inheritdoc />
    public override void ToFeatures(object value, Span<double> features) =>
        Space.MappingToFeatureSpace((Parameter)value).CopyTo(features);

    /// <inheritdoc />
    public override object FromFeatures(ReadOnlySpan<double> features) => Space.SampleFromFeatureSpace(features);
}
