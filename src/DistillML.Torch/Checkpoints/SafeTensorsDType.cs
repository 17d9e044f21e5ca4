namespace DistillML.Torch.Checkpoints;

/// <summary>
/// The element types a safetensors file may hold that DistillML reads and writes.
/// The numeric order is the reference implementation's alignment order (smallest first), which the writer
/// uses to lay tensors out: larger alignment first, then by name.
/// </summary>
public enum SafeTensorsDType
{
    /// <summary>Boolean, one byte per element (<c>"BOOL"</c>).</summary>
    Bool = 0,
    /// <summary>Unsigned 8-bit integer (<c>"U8"</c>).</summary>
    U8 = 1,
    /// <summary>Signed 8-bit integer (<c>"I8"</c>).</summary>
    I8 = 2,
    /// <summary>Signed 16-bit integer (<c>"I16"</c>).</summary>
    I16 = 3,
    /// <summary>IEEE 754 half precision (<c>"F16"</c>).</summary>
    F16 = 4,
    /// <summary>bfloat16, the upper 16 bits of a float32 (<c>"BF16"</c>).</summary>
    BF16 = 5,
    /// <summary>Signed 32-bit integer (<c>"I32"</c>).</summary>
    I32 = 6,
    /// <summary>IEEE 754 single precision (<c>"F32"</c>).</summary>
    F32 = 7,
    /// <summary>IEEE 754 double precision (<c>"F64"</c>).</summary>
    F64 = 8,
    /// <summary>Signed 64-bit integer (<c>"I64"</c>).</summary>
    I64 = 9,
}
