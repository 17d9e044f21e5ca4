using System.Buffers.Binary;

namespace DistillML.Torch.Checkpoints;

/// <summary>Exact widening of little-endian F16 and BF16 bytes to float32 (every such value is a float32).</summary>
internal static class HalfPrecision
{
    /// <summary>Decodes IEEE half precision values; NaN payloads, infinities and subnormals are kept.</summary>
    internal static void F16ToFloat32(ReadOnlySpan<byte> source, Span<float> destination)
    {
        for (int i = 0; i < destination.Length; i++)
            destination[i] = (float)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(source.Slice(2 * i, 2)));
    }

    /// <summary>Decodes bfloat16 values: each is the upper 16 bits of a float32.</summary>
    internal static void BF16ToFloat32(ReadOnlySpan<byte> source, Span<float> destination)
    {
        for (int i = 0; i < destination.Length; i++)
            destination[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(source.Slice(2 * i, 2)) << 16);
    }
}
