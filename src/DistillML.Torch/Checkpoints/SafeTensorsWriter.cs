using System.Buffers.Binary;
using TorchSharp;
using static TorchSharp.torch;

namespace DistillML.Torch.Checkpoints;

/// <summary>
/// Writes tensors to a safetensors file laid out as Hugging Face's <c>safetensors</c> lays it out (tensors
/// ordered by element alignment then name, header padded with spaces to 8 bytes), so the same tensors give
/// the same bytes. The file is replaced atomically: data goes to a temporary file in the same directory,
/// which is moved over <c>path</c> only once it is complete; on any failure the previous file is untouched
/// and the temporary file is removed.
/// </summary>
/// <example>
/// <code>
/// SafeTensorsWriter.Write("model.safetensors",
///     model.state_dict().Select(kv => (kv.Key, kv.Value)),
///     new Dictionary&lt;string, string&gt; { ["format"] = "pt" },
///     storeAs: SafeTensorsDType.BF16);
/// </code>
/// </example>
public static class SafeTensorsWriter
{
    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/>, replacing any file there.</summary>
    /// <param name="path">The file to write; its directory must exist.</param>
    /// <param name="tensors">Names and tensors, on any device, contiguous or not; they are read, never modified.</param>
    /// <param name="metadata">The header's <c>__metadata__</c> map (Hugging Face writes <c>{"format": "pt"}</c>); null for none.</param>
    /// <param name="storeAs">
    /// The element type for floating-point tensors (F32, F16, BF16 or F64; narrowing rounds to nearest even, as
    /// torch does); null keeps each tensor's own type. Integer and boolean tensors always keep their type.
    /// </param>
    /// <exception cref="ArgumentException">A name is empty, repeated or <c>__metadata__</c>; a tensor's type has no safetensors dtype; <paramref name="storeAs"/> is not floating-point.</exception>
    public static void Write(string path, IEnumerable<(string Name, Tensor Tensor)> tensors,
        IReadOnlyDictionary<string, string>? metadata = null, SafeTensorsDType? storeAs = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        if (storeAs is { } target && !target.IsFloatingPoint())
            throw new ArgumentException($"storeAs must be a floating-point dtype (F32, F16, BF16, F64), not {target.ToHeaderName()}.", nameof(storeAs));
        SafeTensorsFile.EnsureLittleEndian();

        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath)!;
        string temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                WriteContents(stream, Plan(tensors, storeAs), metadata);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    sealed record Entry(SafeTensorsTensorInfo Info, Tensor Source);

    static List<Entry> Plan(IEnumerable<(string Name, Tensor Tensor)> tensors, SafeTensorsDType? storeAs)
    {
        var chosen = new List<(string Name, SafeTensorsDType DType, Tensor Tensor)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, tensor) in tensors)
        {
            if (string.IsNullOrEmpty(name)) throw new ArgumentException("A tensor name is null or empty.", nameof(tensors));
            if (name == SafeTensorsHeaderParser.MetadataKey) throw new ArgumentException($"'{name}' is reserved for the header's metadata and cannot name a tensor.", nameof(tensors));
            if (!names.Add(name)) throw new ArgumentException($"Tensor '{name}' is given twice.", nameof(tensors));
            ArgumentNullException.ThrowIfNull(tensor, $"tensor '{name}'");
            if (!SafeTensorsDTypes.TryFromScalarType(tensor.dtype, out SafeTensorsDType own))
                throw new ArgumentException($"Tensor '{name}' has element type {tensor.dtype}, which safetensors files here do not store.", nameof(tensors));
            chosen.Add((name, own.IsFloatingPoint() && storeAs is { } target ? target : own, tensor));
        }
        chosen.Sort((a, b) => SafeTensorsHeaderWriter.CompareForLayout((a.Name, a.DType), (b.Name, b.DType)));

        var plan = new List<Entry>(chosen.Count);
        long offset = 0;
        foreach (var (name, dtype, tensor) in chosen)
        {
            long[] shape = tensor.shape;
            long bytes = checked(shape.Aggregate(1L, (p, d) => p * d) * dtype.ElementSize());
            plan.Add(new Entry(new SafeTensorsTensorInfo(name, dtype, shape, offset, offset + bytes), tensor));
            offset += bytes;
        }
        return plan;
    }

    static void WriteContents(Stream stream, List<Entry> plan, IReadOnlyDictionary<string, string>? metadata)
    {
        byte[] header = SafeTensorsHeaderWriter.Serialize(plan.Select(e => e.Info).ToList(), metadata);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        foreach (Entry entry in plan)
            WriteData(stream, entry);
        long expected = 8 + header.Length + (plan.Count == 0 ? 0 : plan[^1].Info.DataEnd);
        if (stream.Position != expected)
            throw new InvalidOperationException($"Wrote {stream.Position} bytes where the header promises {expected}; a tensor changed while it was being written.");
    }

    static void WriteData(Stream stream, Entry entry)
    {
        SafeTensorsTensorInfo info = entry.Info;
        if (info.ElementCount == 0) return;
        using var scope = NewDisposeScope();
        Tensor flat = entry.Source.detach().cpu().to(info.DType.ToScalarType()).contiguous().view(-1);
        int size = info.DType.ElementSize();
        long perChunk = SafeTensorsFile.ChunkBytes / size;
        for (long start = 0; start < info.ElementCount; start += perChunk)
        {
            using Tensor part = flat.narrow(0, start, Math.Min(perChunk, info.ElementCount - start));
            stream.Write(part.bytes);
        }
    }

    static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the original file is intact either way.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
