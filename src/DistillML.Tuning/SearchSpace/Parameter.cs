using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace DistillML.Tuning.SearchSpace;

/// <summary>
/// A point of a search space: named values (int, double, string, bool or a nested <see cref="Parameter"/>),
/// in the order of the search space. Mirrors ML.NET AutoML's <c>Parameter</c>.
/// </summary>
public sealed class Parameter : IReadOnlyDictionary<string, object>, IEquatable<Parameter>
{
    private readonly List<KeyValuePair<string, object>> _items;
    private readonly Dictionary<string, object> _lookup;

    /// <summary>Creates a parameter from ordered name/value pairs.</summary>
    /// <param name="items">Names and values; names must be unique.</param>
    public Parameter(IEnumerable<KeyValuePair<string, object>> items)
    {
        _items = items.ToList();
        _lookup = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (key, value) in _items)
        {
            if (!_lookup.TryAdd(key, value))
            {
                throw new ArgumentException($"Duplicate parameter name '{key}'.", nameof(items));
            }
        }
    }

    /// <summary>An empty parameter.</summary>
    public static Parameter Empty { get; } = new(Array.Empty<KeyValuePair<string, object>>());

    /// <inheritdoc />
    public object this[string key] => _lookup.TryGetValue(key, out var v)
        ? v
        : throw new KeyNotFoundException($"The parameter has no value named '{key}'.");

    /// <inheritdoc />
    public IEnumerable<string> Keys => _items.Select(i => i.Key);

    /// <inheritdoc />
    public IEnumerable<object> Values => _items.Select(i => i.Value);

    /// <inheritdoc />
    public int Count => _items.Count;

    /// <inheritdoc />
    public bool ContainsKey(string key) => _lookup.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, out object value) => _lookup.TryGetValue(key, out value!);

    /// <summary>The value named <paramref name="key"/> as an <see cref="int"/>.</summary>
    public int GetInt32(string key) => Convert.ToInt32(this[key], CultureInfo.InvariantCulture);

    /// <summary>The value named <paramref name="key"/> as a <see cref="double"/>.</summary>
    public double GetDouble(string key) => Convert.ToDouble(this[key], CultureInfo.InvariantCulture);

    /// <summary>The value named <paramref name="key"/> as a <see cref="bool"/>.</summary>
    public bool GetBoolean(string key) => Convert.ToBoolean(this[key], CultureInfo.InvariantCulture);

    /// <summary>The value named <paramref name="key"/> as a string.</summary>
    public string GetString(string key) => Convert.ToString(this[key], CultureInfo.InvariantCulture) ?? string.Empty;

    /// <summary>The nested group named <paramref name="key"/>.</summary>
    public Parameter GetGroup(string key) => (Parameter)this[key];

    /// <summary>
    /// Binds the values to a new <typeparamref name="T"/> by property name (case-insensitive),
    /// converting numbers and recursing into nested groups, like AutoML's <c>Parameter.AsType&lt;T&gt;()</c>.
    /// </summary>
    public T AsType<T>() where T : new() => (T)AsType(typeof(T));

    private object AsType(Type type)
    {
        var target = Activator.CreateInstance(type)
            ?? throw new InvalidOperationException($"Cannot create an instance of {type}.");
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanWrite)
            {
                continue;
            }

            var entry = _items.FirstOrDefault(i => string.Equals(i.Key, property.Name, StringComparison.OrdinalIgnoreCase));
            if (entry.Key is null)
            {
                continue;
            }

            property.SetValue(target, ConvertTo(entry.Value, property.PropertyType));
        }

        return target;
    }

    private static object? ConvertTo(object value, Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (value is Parameter group)
        {
            return underlying == typeof(Parameter) ? group : group.AsType(underlying);
        }

        if (underlying.IsInstanceOfType(value))
        {
            return value;
        }

        if (underlying.IsEnum)
        {
            return value is string s ? Enum.Parse(underlying, s, ignoreCase: true) : Enum.ToObject(underlying, value);
        }

        return Convert.ChangeType(value, underlying, CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public bool Equals(Parameter? other)
    {
        if (other is null || other.Count != Count)
        {
            return false;
        }

        for (var i = 0; i < _items.Count; i++)
        {
            var (key, value) = _items[i];
            if (!other.TryGetValue(key, out var o) || !Equals(value, o))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Parameter);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var (key, value) in _items)
        {
            hash.Add(key);
            hash.Add(value);
        }

        return hash.ToHashCode();
    }

    /// <summary>A JSON-like rendering, such as <c>{"layers": 4, "lr": 0.0001}</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("{");
        for (var i = 0; i < _items.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            sb.Append('"').Append(_items[i].Key).Append("\": ").Append(Format(_items[i].Value));
        }

        return sb.Append('}').ToString();
    }

    private static string Format(object value) => value switch
    {
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
