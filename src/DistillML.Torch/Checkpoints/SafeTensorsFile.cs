using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using TorchSharp;
using static TorchSharp.torch;

namespace DistillML.Torch.Checkpoints;

/// <summary>
/// A safetensors file opened for reading. Opening reads and validates only the header; each
/// <see cref="ReadTensor"/> call reads that tensor's bytes straight from the file into the new tensor's memory,
/// so a large checkpoint never needs a second in-memory copy. Malformed files raise
/// <see cref="SafeTensorsFormatException"/> naming the file, the tensor and the problem.
/// </summary>
/// <example>
/// <code>
/// using var file = SafeTensorsFile.Open("model.safetensors");
/// foreach (string name in file.Names)
///     using (var weight = file.ReadTensor(name)) { /* float32 unless asked otherwise */ }
/// </code>
/// </example>
/// <remarks>Reads are positional, so several threads may call <see cref="ReadTensor"/> on one instance.</remarks>
public sealed class SafeTensorsFile : IDisposable
{
    /// <summary>Headers above this size are refused, as the reference implementation refuses them.</summary>
    public const long MaxHeaderLength = 100_000_000;

    /// <summary>Bytes moved per read; large tensors are read in slices of this size.</summary>
    internal const int ChunkBytes = 16 << 20;

    readonly SafeFileHandle _handle;
    readonly Dictionary<string, SafeTensorsTensorInfo> _byName;
    readonly long _dataStart;
    bool _disposed;

    SafeTensorsFile(string path, SafeFileHandle handle, List<SafeTensorsTensorInfo> ordered, Dictionary<string, string> metadata, long dataStart)
    {
        Path = path;
        _handle = handle;
        Tensors = ordered;
        Names = ordered.Select(t => t.Name).ToList();
        _byName = ordered.ToDictionary(t => t.Name, StringComparer.Ordinal);
        Metadata = metadata;
        _dataStart = dataStart;
    }

    /// <summary>The file's full path.</summary>
    public string Path { get; }

    /// <summary>Tensor names in the order their data lies in the file.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Every tensor's header entry, in the order their data lies in the file.</summary>
    public IReadOnlyList<SafeTensorsTensorInfo> Tensors { get; }

    /// <summary>The header's <c>__metadata__</c> map; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Opens <paramref name="path"/> and validates its header against the file's length.</summary>
    /// <exception cref="SafeTensorsFormatException">The file is not a well-formed safetensors file.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static SafeTensorsFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        EnsureLittleEndian();
        string fullPath = System.IO.Path.GetFullPath(path);
        SafeFileHandle handle = File.OpenHandle(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        try
        {
            long fileLength = RandomAccess.GetLength(handle);
            if (fileLength < 8)
                throw new SafeTensorsFormatException(fullPath, null, $"the file has {fileLength} bytes, fewer than the 8-byte header length.");
            Span<byte> prefix = stackalloc byte[8];
            ReadExactly(handle, prefix, 0, fullPath, null);
            ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            if (headerLength > (ulong)(fileLength - 8))
                throw new SafeTensorsFormatException(fullPath, null, $"the header length {headerLength} is larger than the {fileLength - 8} bytes that follow it.");
            if (headerLength > MaxHeaderLength)
                throw new SafeTensorsFormatException(fullPath, null, $"the header length {headerLength} exceeds the {MaxHeaderLength}-byte limit.");

            var header = new byte[headerLength];
            ReadExactly(handle, header, 8, fullPath, null);
            var (tensors, metadata) = SafeTensorsHeaderParser.Parse(fullPath, header);
            long dataStart = 8 + (long)headerLength;
            var ordered = SafeTensorsLayoutValidator.Validate(fullPath, tensors, fileLength - dataStart);
            return new SafeTensorsFile(fullPath, handle, ordered, metadata, dataStart);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>True when the file holds a tensor called <paramref name="name"/>.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The header entry of <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The file has no such tensor.</exception>
    public SafeTensorsTensorInfo GetInfo(string name) =>
        _byName.TryGetValue(name, out var info)
            ? info
            : throw new KeyNotFoundException($"Safetensors file '{Path}' has no tensor '{name}' (it has {_byName.Count}).");

    /// <summary>
    /// Reads one tensor into a new CPU tensor. F16 and BF16 data widen to float32 exactly; any other
    /// conversion is TorchSharp's <c>to(dtype)</c>.
    /// </summary>
    /// <param name="name">The tensor's name in the header.</param>
    /// <param name="as">The element type of the result (float32 by default); null keeps the stored type.</param>
    /// <returns>A new tensor the caller owns (it joins the caller's dispose scope, if any).</returns>
    /// <exception cref="KeyNotFoundException">The file has no such tensor.</exception>
    /// <exception cref="SafeTensorsFormatException">The file was cut short after it was opened.</exception>
    public Tensor ReadTensor(string name, ScalarType? @as = ScalarType.Float32)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        SafeTensorsTensorInfo info = GetInfo(name);
        if (info.DType is SafeTensorsDType.F16 or SafeTensorsDType.BF16 && @as == ScalarType.Float32)
            return ReadWidened(info);

        Tensor stored = ReadStored(info);
        if (@as is null || @as == stored.dtype) return stored;
        using (stored) return stored.to(@as.Value);
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        _disposed = true;
        _handle.Dispose();
    }

    Tensor ReadStored(SafeTensorsTensorInfo info)
    {
        Tensor result = empty(info.ShapeArray(), info.DType.ToScalarType());
        try
        {
            using Tensor flat = result.view(-1);
            int size = info.DType.ElementSize();
            long perChunk = ChunkBytes / size;
            for (long start = 0; start < info.ElementCount; start += perChunk)
            {
                long count = Math.Min(perChunk, info.ElementCount - start);
                using Tensor part = flat.narrow(0, start, count);
                ReadExactly(_handle, part.bytes, _dataStart + info.DataBegin + start * size, Path, info.Name);
            }
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    Tensor ReadWidened(SafeTensorsTensorInfo info)
    {
        Tensor result = empty(info.ShapeArray(), ScalarType.Float32);
        byte[] raw = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            using Tensor flat = result.view(-1);
            long perChunk = ChunkBytes / 2;
            for (long start = 0; start < info.ElementCount; start += perChunk)
            {
                int count = (int)Math.Min(perChunk, info.ElementCount - start);
                Span<byte> source = raw.AsSpan(0, 2 * count);
                ReadExactly(_handle, source, _dataStart + info.DataBegin + start * 2, Path, info.Name);
                using Tensor part = flat.narrow(0, start, count);
                Span<float> destination = MemoryMarshal.Cast<byte, float>(part.bytes);
                if (info.DType == SafeTensorsDType.F16) HalfPrecision.F16ToFloat32(source, destination);
                else HalfPrecision.BF16ToFloat32(source, destination);
            }
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
        }
    }

    static void ReadExactly(SafeFileHandle handle, Span<byte> destination, long offset, string path, string? tensor)
    {
        while (!destination.IsEmpty)
        {
            int read = RandomAccess.Read(handle, destination, offset);
            if (read == 0)
                throw new SafeTensorsFormatException(path, tensor, $"the file ends at byte {offset}, before the data it declares (it was truncated).");
            destination = destination[read..];
            offset += read;
        }
    }

    internal static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Safetensors data is little-endian; this reader and writer run on little-endian machines only.");
    }
}
