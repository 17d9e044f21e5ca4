using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace DistillML.Torch.Distillation;

/// <summary>
/// The cache file format (little-endian): the 8 bytes <c>DMLTLOG1</c>; an int32 length and that many bytes of UTF-8
/// JSON header (the <see cref="TeacherLogitsKey"/>, the number of positions, the value type); zero padding to a
/// multiple of 8; int64 offsets[windows + 1] into the position arrays; float16 start logits[positions]; float16 end
/// logits[positions]. Files are written to a temporary name and renamed into place, so a reader sees a whole file or none.
/// </summary>
internal static class TeacherLogitsFile
{
    private static readonly byte[] Magic = "DMLTLOG1"u8.ToArray();

    private sealed record Header(int FormatVersion, TeacherLogitsKey Key, long Positions, string ValueType);

    public static void Write(string path, TeacherLogitsKey key, long[] offsets, Half[] start, Half[] end)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("The teacher-logits cache is written little-endian only.");
        string temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            using (var writer = new BinaryWriter(stream))
            {
                writer.Write(Magic);
                var header = JsonSerializer.SerializeToUtf8Bytes(new Header(1, key, offsets[^1], "float16"));
                writer.Write(header.Length);
                writer.Write(header);
                while (stream.Position % 8 != 0) writer.Write((byte)0);
                foreach (long offset in offsets) writer.Write(offset);
                writer.Write(MemoryMarshal.AsBytes(start.AsSpan()));
                writer.Write(MemoryMarshal.AsBytes(end.AsSpan()));
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true); // atomic on POSIX: readers see the old file or the new one
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Opens <paramref name="path"/> when it is a complete cache file for <paramref name="key"/>; null otherwise (missing, another key, truncated, corrupt).</summary>
    public static TeacherLogits? TryOpen(string path, TeacherLogitsKey key, bool fromCache)
    {
        if (!File.Exists(path)) return null;
        long[] offsets;
        long dataOffset;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new BinaryReader(stream);
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic)) return null;
            int headerLength = reader.ReadInt32();
            if (headerLength is <= 0 or > 1 << 20) return null;
            var header = JsonSerializer.Deserialize<Header>(Encoding.UTF8.GetString(reader.ReadBytes(headerLength)));
            if (header is null || header.FormatVersion != 1 || header.Key != key || header.ValueType != "float16") return null;
            while (stream.Position % 8 != 0) reader.ReadByte();
            offsets = new long[key.Windows + 1];
            for (int i = 0; i < offsets.Length; i++) offsets[i] = reader.ReadInt64();
            dataOffset = stream.Position;
            if (offsets[^1] != header.Positions || stream.Length != dataOffset + 2 * header.Positions * sizeof(ushort)) return null;
        }
        catch (Exception e) when (e is IOException or JsonException or EndOfStreamException)
        {
            return null;
        }
        return new TeacherLogits(key, offsets, path, dataOffset, fromCache);
    }
}
