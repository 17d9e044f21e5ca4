namespace DistillML.Tuning.SearchSpace;

/// <summary>Fluent construction of a <see cref="SearchSpace"/>.</summary>
public sealed class SearchSpaceBuilder
{
    private readonly List<SearchDimension> _dimensions = new();

    /// <summary>Adds an integer range.</summary>
    public SearchSpaceBuilder AddInteger(string name, int min, int max, int? init = null, bool logScale = false) =>
        Add(new IntegerRange(name, min, max, init, logScale));

    /// <summary>Adds a float range.</summary>
    public SearchSpaceBuilder AddFloat(string name, double min, double max, double? init = null, bool logScale = false) =>
        Add(new FloatRange(name, min, max, init, logScale));

    /// <summary>Adds an unordered (one-hot) choice.</summary>
    public SearchSpaceBuilder AddChoice(string name, params object[] values) =>
        Add(new ChoiceDimension(name, values, ordered: false));

    /// <summary>Adds an ordered (ordinal) choice, such as a list of sizes.</summary>
    public SearchSpaceBuilder AddOrderedChoice(string name, params object[] values) =>
        Add(new ChoiceDimension(name, values, ordered: true));

    /// <summary>Adds a boolean (an ordinal choice of false and true).</summary>
    public SearchSpaceBuilder AddBoolean(string name, bool init = false) =>
        Add(new ChoiceDimension(name, new object[] { false, true }, ordered: true, init));

    /// <summary>Adds a constant.</summary>
    public SearchSpaceBuilder AddFixed(string name, object value) => Add(new FixedValue(name, value));

    /// <summary>Adds a nested group, always present.</summary>
    public SearchSpaceBuilder AddGroup(string name, SearchSpace space) => Add(new NestedGroup(name, space));

    /// <summary>Adds a nested group present only when the earlier parameter <paramref name="parent"/> takes one of <paramref name="values"/>.</summary>
    public SearchSpaceBuilder AddConditionalGroup(string name, SearchSpace space, string parent, params object[] values) =>
        Add(new NestedGroup(name, space, parent, values));

    /// <summary>Adds any dimension.</summary>
    public SearchSpaceBuilder Add(SearchDimension dimension)
    {
        _dimensions.Add(dimension ?? throw new ArgumentNullException(nameof(dimension)));
        return this;
    }

    /// <summary>Builds the space (validating unique names and conditions).</summary>
    public SearchSpace Build() => new(_dimensions);
}
