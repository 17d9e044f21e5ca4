namespace DistillML.Torch.Checkpoints;

/// <summary>One tensor's entry in a safetensors header.</summary>
/// <param name="Name">The tensor's name, e.g. <c>bert.encoder.layer.0.attention.self.query.weight</c>.</param>
/// <param name="DType">The stored element type.</param>
/// <param name="Shape">The dimensions; empty for a scalar.</param>
/// <param name="DataBegin">First byte of the tensor's data, relative to the start of the data buffer.</param>
/// <param name="DataEnd">One past the last byte of the tensor's data, relative to the start of the data buffer.</param>
public sealed record SafeTensorsTensorInfo(string Name, SafeTensorsDType DType, IReadOnlyList<long> Shape, long DataBegin, long DataEnd)
{
    /// <summary>Number of elements: the product of <see cref="Shape"/> (1 for a scalar).</summary>
    public long ElementCount => Shape.Aggregate(1L, (product, dim) => product * dim);

    /// <summary>Number of data bytes: <see cref="DataEnd"/> minus <see cref="DataBegin"/>.</summary>
    public long ByteLength => DataEnd - DataBegin;

    /// <summary>The shape as the array TorchSharp factories take.</summary>
    public long[] ShapeArray() => Shape.ToArray();

    /// <summary>The shape written as <c>[2, 3]</c>, for messages.</summary>
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
