using System.Buffers.Binary;
using System.Text;

namespace DistillML.Torch.Tests.Checkpoints;

/// <summary>A temporary directory per test, and hand-assembled safetensors bytes.</summary>
sealed class SafeTensorsTestFiles : IDisposable
{
    public SafeTensorsTestFiles()
    {
        Directory = Path.Combine(Path.GetTempPath(), "distillml-st-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string PathOf(string name) => Path.Combine(Directory, name);

    public string WriteBytes(string name, byte[] bytes)
    {
        string path = PathOf(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>8-byte little-endian header length, the header text exactly as given, then the data.</summary>
    public static byte[] Assemble(string header, params byte[] data)
    {
        byte[] text = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + text.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)text.Length);
        text.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + text.Length);
        return bytes;
    }

    public static byte[] Floats(params float[] values)
    {
        var bytes = new byte[4 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        return bytes;
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
