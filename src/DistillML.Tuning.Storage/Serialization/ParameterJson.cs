using System.Globalization;
using System.Text;
using System.Text.Json;
using DistillML.Tuning.SearchSpace;

namespace DistillML.Tuning.Storage.Serialization;

/// <summary>
/// Writes a <see cref="Parameter"/> as JSON and reads it back with the same value types and order: integers as
/// integer literals (read back as int, or long when too large), doubles always with a fraction or exponent (read
/// back as double), strings, booleans and nested groups as objects. Non-finite doubles are written as
/// <c>{"$double": "NaN"}</c>.
/// </summary>
public static class ParameterJson
{
    private const string DoubleMarker = "$double";

    /// <summary>The JSON text of <paramref name="parameter"/>.</summary>
    public static string Serialize(Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer, parameter);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The parameter written by <see cref="Serialize"/>.</summary>
    /// <exception cref="FormatException">The text is not a JSON object of supported values.</exception>
    public static Parameter Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            return ReadGroup(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Not a stored parameter: {e.Message}", e);
        }
    }

    private static void Write(Utf8JsonWriter writer, Parameter parameter)
    {
        writer.WriteStartObject();
        foreach (var (key, value) in parameter)
        {
            writer.WritePropertyName(key);
            WriteValue(writer, key, value);
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, string key, object value)
    {
        switch (value)
        {
            case Parameter group:
                Write(writer, group);
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case int or long or short or byte or sbyte or ushort or uint:
                writer.WriteRawValue(Convert.ToString(value, CultureInfo.InvariantCulture)!);
                break;
            case double or float:
                WriteDouble(writer, Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
            default:
                throw new NotSupportedException(
                    $"Parameter value '{key}' has type {value.GetType().Name}; stores keep int, long, double, string, bool and nested groups.");
        }
    }

    private static void WriteDouble(Utf8JsonWriter writer, double d)
    {
        if (!double.IsFinite(d))
        {
            writer.WriteStartObject();
            writer.WriteString(DoubleMarker, d.ToString(CultureInfo.InvariantCulture));
            writer.WriteEndObject();
            return;
        }

        var text = d.ToString("R", CultureInfo.InvariantCulture);
        if (text.IndexOfAny(['.', 'E', 'e']) < 0)
        {
            text += ".0";
        }

        writer.WriteRawValue(text);
    }

    private static Parameter ReadGroup(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"Expected a JSON object, found {element.ValueKind}.");
        }

        var items = new List<KeyValuePair<string, object>>();
        foreach (var property in element.EnumerateObject())
        {
            items.Add(new(property.Name, ReadValue(property.Value)));
        }

        return new Parameter(items);
    }

    private static object ReadValue(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return element.GetString()!;
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number:
                var raw = element.GetRawText();
                if (raw.IndexOfAny(['.', 'E', 'e']) >= 0)
                {
                    return element.GetDouble();
                }

                return element.TryGetInt32(out var i) ? i : (object)element.GetInt64(); // not "? i : long", which would widen i to long
            case JsonValueKind.Object:
                if (element.TryGetProperty(DoubleMarker, out var marker) && marker.ValueKind == JsonValueKind.String)
                {
                    return double.Parse(marker.GetString()!, CultureInfo.InvariantCulture);
                }

                return ReadGroup(element);
            default:
                throw new FormatException($"Unsupported JSON value kind {element.ValueKind} in a stored parameter.");
        }
    }
}
