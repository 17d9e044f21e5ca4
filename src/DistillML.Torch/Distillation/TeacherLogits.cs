using System.IO.MemoryMappedFiles;

namespace DistillML.Torch.Distillation;

/// <summary>
/// A teacher's start and end logits for every window of a training set, stored as float16 (one value per real token
/// of each window), either in memory or in a memory-mapped cache file (see <see cref="TeacherLogitsCache"/>).
/// Reads are thread-safe.
/// </summary>
public sealed class TeacherLogits : IDisposable
{
    private readonly long[] offsets;
    private readonly Half[]? start, end;
    private readonly MemoryMappedFile? file;
    private readonly MemoryMappedViewAccessor? view;
    private readonly long startBase, endBase;

    internal TeacherLogits(TeacherLogitsKey key, long[] offsets, Half[] start, Half[] end)
    {
        Key = key;
        this.offsets = offsets;
        this.start = start;
        this.end = end;
    }

    internal TeacherLogits(TeacherLogitsKey key, long[] offsets, string path, long dataOffset, bool fromCache)
    {
        Key = key;
        this.offsets = offsets;
        Path = path;
        LoadedFromCache = fromCache;
        file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        startBase = dataOffset;
        endBase = dataOffset + offsets[^1] * sizeof(ushort);
    }

    /// <summary>What the values were computed from.</summary>
    public TeacherLogitsKey Key { get; }

    /// <summary>The cache file, or null when the values live in memory only.</summary>
    public string? Path { get; }

    /// <summary>True when an existing cache file was reused (no teacher forward pass ran).</summary>
    public bool LoadedFromCache { get; }

    /// <summary>Number of windows.</summary>
    public int Count => offsets.Length - 1;

    /// <summary>Real (unpadded) length of window <paramref name="window"/>.</summary>
    public int Length(int window) => (int)(offsets[window + 1] - offsets[window]);

    /// <summary>Copies window <paramref name="window"/>'s logits into the first <see cref="Length"/> entries of the spans.</summary>
    public void CopyTo(int window, Span<float> startLogits, Span<float> endLogits)
    {
        int n = Length(window);
        long at = offsets[window];
        if (start is not null)
        {
            for (int i = 0; i < n; i++)
            {
                startLogits[i] = (float)start[at + i];
                endLogits[i] = (float)end![at + i];
            }
            return;
        }
        var buffer = new Half[n];
        view!.ReadArray(startBase + at * sizeof(ushort), buffer, 0, n);
        for (int i = 0; i < n; i++) startLogits[i] = (float)buffer[i];
        view.ReadArray(endBase + at * sizeof(ushort), buffer, 0, n);
        for (int i = 0; i < n; i++) endLogits[i] = (float)buffer[i];
    }

    /// <summary>Window <paramref name="window"/>'s start and end logits, as new arrays.</summary>
    public (float[] Start, float[] End) Get(int window)
    {
        var s = new float[Length(window)];
        var e = new float[s.Length];
        CopyTo(window, s, e);
        return (s, e);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        view?.Dispose();
        file?.Dispose();
    }
}
