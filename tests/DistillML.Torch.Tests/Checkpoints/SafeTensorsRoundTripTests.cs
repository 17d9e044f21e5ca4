using DistillML.Torch.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace DistillML.Torch.Tests.Checkpoints;

public class SafeTensorsRoundTripTests
{
    static byte[] BytesOf(Tensor t) => t.contiguous().bytes.ToArray();

    static Tensor WriteAndRead(SafeTensorsTestFiles files, Tensor tensor, ScalarType? @as, SafeTensorsDType? storeAs = null)
    {
        string path = files.PathOf(Guid.NewGuid().ToString("N") + ".safetensors");
        SafeTensorsWriter.Write(path, [("t", tensor)], storeAs: storeAs);
        using var file = SafeTensorsFile.Open(path);
        return file.ReadTensor("t", @as);
    }

    [Fact]
    public void F32_round_trips_bit_exactly_including_nan_infinities_and_subnormals()
    {
        using var files = new SafeTensorsTestFiles();
        float[] values = [0f, -0f, 1.5f, float.Epsilon, float.MaxValue, float.MinValue, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 1e-40f];
        using var original = torch.tensor(values).reshape(2, 5);
        using var read = WriteAndRead(files, original, ScalarType.Float32);
        Assert.Equal(ScalarType.Float32, read.dtype);
        Assert.Equal(new long[] { 2, 5 }, read.shape);
        Assert.Equal(BytesOf(original), BytesOf(read));
    }

    [Fact]
    public void F16_round_trips_exactly_and_widens_to_the_same_float32_values()
    {
        using var files = new SafeTensorsTestFiles();
        float[] values = [1f, -0.5f, 65504f, 6.103515625e-05f, 5.9604644775390625e-08f, float.NegativeInfinity, -0f];
        using var original = torch.tensor(values).to(ScalarType.Float16);

        using var widened = WriteAndRead(files, original, ScalarType.Float32);
        Assert.Equal(ScalarType.Float32, widened.dtype);
        Assert.Equal(values, widened.data<float>().ToArray());
        Assert.True(float.IsNegative(widened.data<float>()[6]));

        using var kept = WriteAndRead(files, original, null);
        Assert.Equal(ScalarType.Float16, kept.dtype);
        Assert.Equal(BytesOf(original), BytesOf(kept));
    }

    [Fact]
    public void BF16_round_trips_exactly_and_widens_as_the_upper_half_of_a_float32()
    {
        using var files = new SafeTensorsTestFiles();
        // 0x7F7F is the largest finite bfloat16, 0x0001 the smallest subnormal, 0xC020 is -2.5.
        float[] values = [1f, -2.5f, BitConverter.Int32BitsToSingle(0x7F7F << 16), BitConverter.Int32BitsToSingle(0x0001 << 16), 0.0078125f];
        using var original = torch.tensor(values).to(ScalarType.BFloat16);

        using var widened = WriteAndRead(files, original, ScalarType.Float32);
        Assert.Equal(values, widened.data<float>().ToArray());

        using var kept = WriteAndRead(files, original, null);
        Assert.Equal(ScalarType.BFloat16, kept.dtype);
        Assert.Equal(BytesOf(original), BytesOf(kept));
    }

    [Fact]
    public void I64_round_trips_exactly_when_read_in_its_stored_type()
    {
        using var files = new SafeTensorsTestFiles();
        long[] values = [long.MinValue, -1, 0, (1L << 53) + 1, long.MaxValue];
        using var original = torch.tensor(values);
        using var read = WriteAndRead(files, original, null);
        Assert.Equal(ScalarType.Int64, read.dtype);
        Assert.Equal(values, read.data<long>().ToArray());
    }

    [Theory]
    [InlineData(ScalarType.Bool)]
    [InlineData(ScalarType.Byte)]
    [InlineData(ScalarType.Int8)]
    [InlineData(ScalarType.Int16)]
    [InlineData(ScalarType.Int32)]
    [InlineData(ScalarType.Float64)]
    public void Every_supported_dtype_round_trips_in_its_stored_type(ScalarType type)
    {
        using var files = new SafeTensorsTestFiles();
        using var original = (torch.arange(-6, 6) * 7).reshape(3, 4).to(type);
        using var read = WriteAndRead(files, original, null);
        Assert.Equal(type, read.dtype);
        Assert.Equal(new long[] { 3, 4 }, read.shape);
        Assert.Equal(BytesOf(original), BytesOf(read));
    }

    [Fact]
    public void Storing_as_BF16_rounds_to_nearest_even_as_torch_does()
    {
        using var files = new SafeTensorsTestFiles();
        // bfloat16 spacing at 1 is 2^-7: 1 + 2^-8 ties to 1 (even); 1 + 3*2^-8 ties to 1 + 2^-6 (even);
        // just above a half step rounds up. Truncation would give 1, 1 + 2^-7, 1.
        float[] values = [1.00390625f, 1.01171875f, BitConverter.Int32BitsToSingle(0x3F808001)];
        using var original = torch.tensor(values);
        using var read = WriteAndRead(files, original, ScalarType.Float32, SafeTensorsDType.BF16);
        Assert.Equal(new float[] { 1f, 1.015625f, 1.0078125f }, read.data<float>().ToArray());
        using var torchRounded = original.to(ScalarType.BFloat16).to(ScalarType.Float32);
        Assert.Equal(torchRounded.data<float>().ToArray(), read.data<float>().ToArray());
    }

    [Fact]
    public void Storing_as_F16_rounds_to_nearest_even_and_records_F16_in_the_header()
    {
        using var files = new SafeTensorsTestFiles();
        // half spacing at 1 is 2^-10: 1 + 2^-11 ties to 1; 1 + 3*2^-11 ties to 1 + 2^-9.
        using var original = torch.tensor(new[] { 1f + MathF.Pow(2, -11), 1f + 3 * MathF.Pow(2, -11) });
        string path = files.PathOf("h.safetensors");
        SafeTensorsWriter.Write(path, [("h", original)], storeAs: SafeTensorsDType.F16);
        using var file = SafeTensorsFile.Open(path);
        Assert.Equal(SafeTensorsDType.F16, file.GetInfo("h").DType);
        using var read = file.ReadTensor("h");
        Assert.Equal(new[] { 1f, 1f + MathF.Pow(2, -9) }, read.data<float>().ToArray());
    }

    [Fact]
    public void Storing_as_a_float_type_leaves_integer_tensors_alone()
    {
        using var files = new SafeTensorsTestFiles();
        using var ids = torch.arange(5L);
        using var weight = torch.ones(2);
        string path = files.PathOf("m.safetensors");
        SafeTensorsWriter.Write(path, [("position_ids", ids), ("w", weight)], storeAs: SafeTensorsDType.BF16);
        using var file = SafeTensorsFile.Open(path);
        Assert.Equal(SafeTensorsDType.I64, file.GetInfo("position_ids").DType);
        Assert.Equal(SafeTensorsDType.BF16, file.GetInfo("w").DType);
    }

    [Fact]
    public void Writer_rejects_an_integer_storage_type()
    {
        using var files = new SafeTensorsTestFiles();
        using var w = torch.ones(2);
        var error = Assert.Throws<ArgumentException>(() => SafeTensorsWriter.Write(files.PathOf("x.safetensors"), [("w", w)], storeAs: SafeTensorsDType.I32));
        Assert.Contains("I32", error.Message);
    }

    [Fact]
    public void Writer_stores_non_contiguous_tensors_in_logical_order_and_leaves_the_source_usable()
    {
        using var files = new SafeTensorsTestFiles();
        using var matrix = torch.arange(6f).reshape(2, 3);
        using var transposed = matrix.t();
        using var parameter = torch.ones(2, requires_grad: true);
        Assert.False(transposed.is_contiguous());

        string path = files.PathOf("nc.safetensors");
        SafeTensorsWriter.Write(path, [("t", transposed), ("p", parameter)]);

        using var file = SafeTensorsFile.Open(path);
        using var read = file.ReadTensor("t");
        Assert.Equal(new long[] { 3, 2 }, read.shape);
        Assert.Equal(new float[] { 0, 3, 1, 4, 2, 5 }, read.data<float>().ToArray());
        Assert.Equal(new float[] { 0, 3, 1, 4, 2, 5 }, transposed.contiguous().data<float>().ToArray());
        Assert.True(parameter.requires_grad);
    }

    [Fact]
    public void Scalars_and_zero_element_tensors_round_trip()
    {
        using var files = new SafeTensorsTestFiles();
        using var scalar = torch.tensor(2.5f);
        using var none = torch.zeros(0, 3);
        string path = files.PathOf("s.safetensors");
        SafeTensorsWriter.Write(path, [("scalar", scalar), ("none", none)]);
        using var file = SafeTensorsFile.Open(path);
        using var readScalar = file.ReadTensor("scalar");
        using var readNone = file.ReadTensor("none");
        Assert.Empty(readScalar.shape);
        Assert.Equal(2.5f, readScalar.item<float>());
        Assert.Equal(new long[] { 0, 3 }, readNone.shape);
    }

    [Fact]
    public void Tensors_larger_than_one_read_chunk_round_trip()
    {
        using var files = new SafeTensorsTestFiles();
        long n = SafeTensorsFileChunk.Elements(4) + 12345;   // two chunks as F32, one and a bit as BF16 widening
        using var original = torch.arange(n, dtype: ScalarType.Float32).remainder(251f);
        using var asBf16 = original.to(ScalarType.BFloat16);
        string path = files.PathOf("big.safetensors");
        SafeTensorsWriter.Write(path, [("f32", original), ("bf16", asBf16)]);
        using var file = SafeTensorsFile.Open(path);
        using var f32 = file.ReadTensor("f32");
        using var bf16Widened = file.ReadTensor("bf16");
        using var bf16Kept = file.ReadTensor("bf16", null);
        Assert.True(f32.eq(original).all().item<bool>());
        Assert.True(bf16Widened.eq(original).all().item<bool>());
        Assert.True(bf16Kept.to(ScalarType.Float32).eq(original).all().item<bool>());
    }

    [Fact]
    public void Metadata_round_trips_with_quotes_and_non_ascii_text()
    {
        using var files = new SafeTensorsTestFiles();
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "say \"hi\" — naïve <b>&</b>\n" };
        string path = files.PathOf("meta.safetensors");
        SafeTensorsWriter.Write(path, [], metadata);
        using var file = SafeTensorsFile.Open(path);
        Assert.Equal(metadata, file.Metadata);
    }

    [Fact]
    public void Writer_replaces_an_existing_file()
    {
        using var files = new SafeTensorsTestFiles();
        string path = files.WriteBytes("old.safetensors", [1, 2, 3]);
        using var w = torch.ones(3);
        SafeTensorsWriter.Write(path, [("w", w)]);
        using var file = SafeTensorsFile.Open(path);
        Assert.Equal(["w"], file.Names);
        Assert.Single(Directory.GetFiles(files.Directory));
    }

    [Fact]
    public void ReadTensor_converts_to_the_requested_type()
    {
        using var files = new SafeTensorsTestFiles();
        using var original = torch.tensor(new[] { 0.5f, -1.25f }).to(ScalarType.Float16);
        using var asDouble = WriteAndRead(files, original, ScalarType.Float64);
        Assert.Equal(ScalarType.Float64, asDouble.dtype);
        Assert.Equal(new[] { 0.5, -1.25 }, asDouble.data<double>().ToArray());
    }

    [Fact]
    public void ReadTensor_names_the_missing_tensor_and_the_file()
    {
        using var files = new SafeTensorsTestFiles();
        string path = files.PathOf("one.safetensors");
        using var w = torch.ones(1);
        SafeTensorsWriter.Write(path, [("w", w)]);
        using var file = SafeTensorsFile.Open(path);
        var error = Assert.Throws<KeyNotFoundException>(() => file.ReadTensor("qa_outputs.weight"));
        Assert.Contains("qa_outputs.weight", error.Message);
        Assert.Contains(path, error.Message);
        Assert.False(file.Contains("qa_outputs.weight"));
    }

    [Fact]
    public void Reading_after_dispose_throws()
    {
        using var files = new SafeTensorsTestFiles();
        string path = files.PathOf("d.safetensors");
        using var w = torch.ones(1);
        SafeTensorsWriter.Write(path, [("w", w)]);
        var file = SafeTensorsFile.Open(path);
        file.Dispose();
        Assert.Throws<ObjectDisposedException>(() => file.ReadTensor("w"));
    }

    [Fact]
    public void Writer_rejects_duplicate_and_reserved_names()
    {
        using var files = new SafeTensorsTestFiles();
        using var w = torch.ones(1);
        var duplicate = Assert.Throws<ArgumentException>(() => SafeTensorsWriter.Write(files.PathOf("x"), [("w", w), ("w", w)]));
        Assert.Contains("'w'", duplicate.Message);
        Assert.Throws<ArgumentException>(() => SafeTensorsWriter.Write(files.PathOf("x"), [("__metadata__", w)]));
        Assert.Empty(Directory.GetFiles(files.Directory));
    }
}

static class SafeTensorsFileChunk
{
    /// <summary>Elements of the given byte size that fill one read/write chunk of the reader and writer.</summary>
    public static long Elements(int elementSize) => (16L << 20) / elementSize;
}
