using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace DistillML.Torch.Checkpoints;

/// <summary>
/// Writes a header the way the reference implementation does: compact JSON, <c>__metadata__</c> first
/// (keys sorted here, for a deterministic file), then the tensors in data order, padded with spaces to a
/// multiple of 8 bytes so every tensor's data stays aligned.
/// </summary>
internal static class SafeTensorsHeaderWriter
{
    internal const int Alignment = 8;

    /// <summary>The reference order: larger element alignment first, then name by UTF-8 bytes.</summary>
    internal static int CompareForLayout((string Name, SafeTensorsDType DType) left, (string Name, SafeTensorsDType DType) right)
    {
        int byType = right.DType.CompareTo(left.DType);
        return byType != 0 ? byType : Encoding.UTF8.GetBytes(left.Name).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(right.Name));
    }

    /// <summary>The padded header bytes (without the 8-byte length prefix).</summary>
    internal static byte[] Serialize(IReadOnlyList<SafeTensorsTensorInfo> tensorsInDataOrder, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false }))
        {
            json.WriteStartObject();
            if (metadata is not null)
            {
                json.WriteStartObject(SafeTensorsHeaderParser.MetadataKey);
                foreach (var entry in metadata.OrderBy(e => e.Key, StringComparer.Ordinal))
                    json.WriteString(entry.Key, entry.Value);
                json.WriteEndObject();
            }
            foreach (SafeTensorsTensorInfo tensor in tensorsInDataOrder)
            {
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", tensor.DType.ToHeaderName());
                json.WriteStartArray("shape");
                foreach (long dim in tensor.Shape) json.WriteNumberValue(dim);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(tensor.DataBegin);
                json.WriteNumberValue(tensor.DataEnd);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        int padding = (Alignment - (int)(buffer.Length % Alignment)) % Alignment;
        for (int i = 0; i < padding; i++) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }
}
