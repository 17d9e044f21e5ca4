using DistillML.Torch.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;
using static DistillML.Torch.Tests.Checkpoints.SafeTensorsTestFiles;

namespace DistillML.Torch.Tests.Checkpoints;

/// <summary>
/// Byte-exact files written out by hand. The first three are the vectors of the reference implementation's
/// own tests (huggingface/safetensors, tensor.rs: test_serialization, test_serialization_forced_alignement,
/// test_empty), so matching them means matching its layout and padding.
/// </summary>
public class SafeTensorsKnownBytesTests
{
    // {"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}} is 65 bytes: 7 spaces pad it to 72.
    static readonly byte[] Attn0 = Assemble(
        "{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}       ",
        Floats(0, 1, 2, 3, 4, 5));

    // {"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}} is exactly 64 bytes: no padding.
    static readonly byte[] AttnDot0 = Assemble(
        "{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}",
        Floats(0, 1, 2, 3, 4, 5));

    [Fact]
    public void Reader_parses_a_hand_built_file_padded_with_spaces()
    {
        using var files = new SafeTensorsTestFiles();
        Assert.Equal(72, BitConverter.ToInt64(Attn0, 0));
        using var file = SafeTensorsFile.Open(files.WriteBytes("attn0.safetensors", Attn0));

        Assert.Equal(["attn0"], file.Names);
        Assert.Empty(file.Metadata);
        var info = file.GetInfo("attn0");
        Assert.Equal(SafeTensorsDType.F32, info.DType);
        Assert.Equal([1L, 1, 2, 3], info.Shape);
        Assert.Equal((0L, 24L), (info.DataBegin, info.DataEnd));
        using var tensor = file.ReadTensor("attn0");
        Assert.Equal(new long[] { 1, 1, 2, 3 }, tensor.shape);
        Assert.Equal(new float[] { 0, 1, 2, 3, 4, 5 }, tensor.data<float>().ToArray());
    }

    [Fact]
    public void Writer_reproduces_the_reference_bytes_including_alignment_padding()
    {
        using var files = new SafeTensorsTestFiles();
        using var values = torch.arange(6f);
        using var attn0 = values.reshape(1, 1, 2, 3);
        using var attnDot0 = values.reshape(1, 2, 3);

        SafeTensorsWriter.Write(files.PathOf("a.safetensors"), [("attn0", attn0)]);
        SafeTensorsWriter.Write(files.PathOf("b.safetensors"), [("attn.0", attnDot0)]);

        Assert.Equal(Attn0, File.ReadAllBytes(files.PathOf("a.safetensors")));
        Assert.Equal(AttnDot0, File.ReadAllBytes(files.PathOf("b.safetensors")));
    }

    [Fact]
    public void Writer_reproduces_the_reference_bytes_for_files_without_tensors()
    {
        using var files = new SafeTensorsTestFiles();
        SafeTensorsWriter.Write(files.PathOf("empty.safetensors"), []);
        SafeTensorsWriter.Write(files.PathOf("meta.safetensors"), [], new Dictionary<string, string> { ["framework"] = "pt" });

        Assert.Equal(Assemble("{}      "), File.ReadAllBytes(files.PathOf("empty.safetensors")));
        Assert.Equal(Assemble("{\"__metadata__\":{\"framework\":\"pt\"}}     "), File.ReadAllBytes(files.PathOf("meta.safetensors")));
        using var file = SafeTensorsFile.Open(files.PathOf("meta.safetensors"));
        Assert.Empty(file.Names);
        Assert.Equal("pt", file.Metadata["framework"]);
    }

    [Fact]
    public void Writer_orders_tensors_by_descending_alignment_then_name()
    {
        using var files = new SafeTensorsTestFiles();
        using var f16 = torch.ones(1, dtype: ScalarType.Float16);
        using var f32 = torch.ones(1);
        using var i64 = torch.ones(1, dtype: ScalarType.Int64);
        using var u8 = torch.ones(1, dtype: ScalarType.Byte);
        using var f32b = torch.ones(1);

        SafeTensorsWriter.Write(files.PathOf("o.safetensors"), [("z.half", f16), ("b.float", f32), ("y.byte", u8), ("x.long", i64), ("a.float", f32b)]);

        using var file = SafeTensorsFile.Open(files.PathOf("o.safetensors"));
        Assert.Equal(["x.long", "a.float", "b.float", "z.half", "y.byte"], file.Names);
        Assert.Equal([0L, 8, 12, 16, 18], file.Tensors.Select(t => t.DataBegin));
    }
}
