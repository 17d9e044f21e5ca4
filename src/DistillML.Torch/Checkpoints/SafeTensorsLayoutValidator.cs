namespace DistillML.Torch.Checkpoints;

/// <summary>
/// Checks that the tensors of a parsed header tile the data buffer exactly, as the reference implementation
/// requires: each tensor's byte range equals its shape times its element size, ranges neither overlap nor
/// leave gaps, the first starts at 0, and the last ends at the end of the file.
/// </summary>
internal static class SafeTensorsLayoutValidator
{
    /// <summary>Validates and returns the tensors in data order.</summary>
    internal static List<SafeTensorsTensorInfo> Validate(string path, IEnumerable<SafeTensorsTensorInfo> tensors, long bufferLength)
    {
        foreach (SafeTensorsTensorInfo tensor in tensors)
            CheckSize(path, tensor);

        var ordered = tensors.OrderBy(t => t.DataBegin).ThenBy(t => t.DataEnd).ToList();
        long expectedBegin = 0;
        SafeTensorsTensorInfo? previous = null;
        foreach (SafeTensorsTensorInfo tensor in ordered)
        {
            if (tensor.DataBegin < expectedBegin)
                throw new SafeTensorsFormatException(path, tensor.Name,
                    $"data_offsets [{tensor.DataBegin}, {tensor.DataEnd}] overlap tensor '{previous!.Name}' at [{previous.DataBegin}, {previous.DataEnd}].");
            if (tensor.DataBegin > expectedBegin)
                throw new SafeTensorsFormatException(path, tensor.Name,
                    $"data_offsets [{tensor.DataBegin}, {tensor.DataEnd}] leave {tensor.DataBegin - expectedBegin} unused bytes before the tensor (from {expectedBegin}); the data buffer must be packed.");
            if (tensor.DataEnd > bufferLength)
                throw new SafeTensorsFormatException(path, tensor.Name,
                    $"data_offsets [{tensor.DataBegin}, {tensor.DataEnd}] run past the end of the data buffer, which holds {bufferLength} bytes: the file is truncated or the offsets are wrong.");
            expectedBegin = tensor.DataEnd;
            previous = tensor;
        }
        if (expectedBegin != bufferLength)
            throw new SafeTensorsFormatException(path, null,
                $"the data buffer holds {bufferLength} bytes but the tensors cover only {expectedBegin}; {bufferLength - expectedBegin} bytes follow the last tensor.");
        return ordered;
    }

    static void CheckSize(string path, SafeTensorsTensorInfo tensor)
    {
        long expected;
        try
        {
            expected = tensor.DType.ElementSize();
            foreach (long dim in tensor.Shape)
                expected = checked(expected * dim);
        }
        catch (OverflowException)
        {
            throw new SafeTensorsFormatException(path, tensor.Name, $"shape {tensor.ShapeText} of {tensor.DType.ToHeaderName()} overflows a 64-bit byte count.");
        }
        if (tensor.ByteLength != expected)
            throw new SafeTensorsFormatException(path, tensor.Name,
                $"data_offsets [{tensor.DataBegin}, {tensor.DataEnd}] span {tensor.ByteLength} bytes, but shape {tensor.ShapeText} of {tensor.DType.ToHeaderName()} needs {expected}.");
    }
}
