using System.Text.Json;

namespace DistillML.Torch.Checkpoints;

/// <summary>
/// Turns the JSON header of a safetensors file into tensor entries and metadata, rejecting anything the
/// format does not allow (duplicate keys, unknown dtypes, negative or fractional numbers, missing fields).
/// Extra fields inside a tensor entry are ignored, as the reference implementation ignores them.
/// </summary>
internal static class SafeTensorsHeaderParser
{
    internal const string MetadataKey = "__metadata__";

    internal static (List<SafeTensorsTensorInfo> Tensors, Dictionary<string, string> Metadata) Parse(string path, ReadOnlyMemory<byte> header)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            throw new SafeTensorsFormatException(path, null, $"the header is not valid UTF-8 JSON ({e.Message}).", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new SafeTensorsFormatException(path, null, $"the header is a JSON {document.RootElement.ValueKind}, not an object.");

            var tensors = new List<SafeTensorsTensorInfo>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw new SafeTensorsFormatException(path, property.Name, "the header lists this key twice.");
                if (property.Name == MetadataKey)
                    ReadMetadata(path, property.Value, metadata);
                else
                    tensors.Add(ReadTensor(path, property.Name, property.Value));
            }
            return (tensors, metadata);
        }
    }

    static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new SafeTensorsFormatException(path, null, $"\"{MetadataKey}\" is a JSON {value.ValueKind}, not an object of strings.");
        foreach (JsonProperty entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
                throw new SafeTensorsFormatException(path, null, $"\"{MetadataKey}\" entry '{entry.Name}' is a JSON {entry.Value.ValueKind}, not a string.");
            if (!metadata.TryAdd(entry.Name, entry.Value.GetString()!))
                throw new SafeTensorsFormatException(path, null, $"\"{MetadataKey}\" lists '{entry.Name}' twice.");
        }
    }

    static SafeTensorsTensorInfo ReadTensor(string path, string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new SafeTensorsFormatException(path, name, $"the header entry is a JSON {value.ValueKind}, not an object with dtype, shape and data_offsets.");

        string dtypeName = Required(path, name, value, "dtype", JsonValueKind.String).GetString()!;
        if (!SafeTensorsDTypes.TryParseHeaderName(dtypeName, out SafeTensorsDType dtype))
        {
            string known = string.Join(", ", Enum.GetValues<SafeTensorsDType>().Select(d => d.ToHeaderName()));
            throw new SafeTensorsFormatException(path, name, $"unknown or unsupported dtype \"{dtypeName}\" (supported: {known}).");
        }

        long[] shape = ReadNonNegativeIntegers(path, name, Required(path, name, value, "shape", JsonValueKind.Array), "shape");
        long[] offsets = ReadNonNegativeIntegers(path, name, Required(path, name, value, "data_offsets", JsonValueKind.Array), "data_offsets");
        if (offsets.Length != 2)
            throw new SafeTensorsFormatException(path, name, $"data_offsets has {offsets.Length} numbers; it must be [begin, end].");
        if (offsets[1] < offsets[0])
            throw new SafeTensorsFormatException(path, name, $"data_offsets [{offsets[0]}, {offsets[1]}] ends before it begins.");
        return new SafeTensorsTensorInfo(name, dtype, shape, offsets[0], offsets[1]);
    }

    static JsonElement Required(string path, string name, JsonElement entry, string field, JsonValueKind kind)
    {
        if (!entry.TryGetProperty(field, out JsonElement value))
            throw new SafeTensorsFormatException(path, name, $"the header entry has no \"{field}\".");
        if (value.ValueKind != kind)
            throw new SafeTensorsFormatException(path, name, $"\"{field}\" is a JSON {value.ValueKind}, expected {kind}.");
        return value;
    }

    static long[] ReadNonNegativeIntegers(string path, string name, JsonElement array, string field)
    {
        var values = new long[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long number) || number < 0)
                throw new SafeTensorsFormatException(path, name, $"\"{field}\" item {i} ({item.GetRawText()}) is not a non-negative integer.");
            values[i++] = number;
        }
        return values;
    }
}
