using System.Security.Cryptography;
using DistillML.Torch.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace DistillML.Torch.Tests.Checkpoints;

/// <summary>
/// Cross-checks against Reference/safetensors_reference.py, a stdlib-only reader and builder written from the
/// format description. Its results were produced once by hand and are pinned here, so CI needs no Python:
/// <c>python3 safetensors_reference.py build FILE</c> printed <see cref="PythonBuiltHex"/>, and
/// <c>python3 safetensors_reference.py check FILE</c> decoded the file this writer produces (set
/// DISTILLML_SAFETENSORS_DUMP to a path to get a copy) into the values pinned below.
/// </summary>
public class SafeTensorsInteropTests
{
    const string PythonBuiltHex =
        "1001000000000000" +
        "7b225f5f6d657461646174615f5f223a7b22666f726d6174223a227074227d2c22642e693634223a7b226474797065223a22493634222c2273" +
        "68617065223a5b325d2c22646174615f6f666673657473223a5b302c31365d7d2c22612e663332223a7b226474797065223a22463332222c22" +
        "7368617065223a5b322c325d2c22646174615f6f666673657473223a5b31362c33325d7d2c22632e62663136223a7b226474797065223a2242" +
        "463136222c227368617065223a5b325d2c22646174615f6f666673657473223a5b33322c33365d7d2c22622e663136223a7b22647479706522" +
        "3a22463136222c227368617065223a5b335d2c22646174615f6f666673657473223a5b33362c34325d7d7d20" +
        "ffffffffffffffff0000000000010000" +
        "0000c03f000000c00000504000000000" +
        "803f20c0" +
        "003c00b8ff7b";

    [Fact]
    public void Reader_decodes_the_file_the_python_reference_built_exactly()
    {
        using var files = new SafeTensorsTestFiles();
        using var file = SafeTensorsFile.Open(files.WriteBytes("py.safetensors", Convert.FromHexString(PythonBuiltHex)));

        Assert.Equal(["d.i64", "a.f32", "c.bf16", "b.f16"], file.Names);
        Assert.Equal("pt", file.Metadata["format"]);
        using var i64 = file.ReadTensor("d.i64", null);
        using var f32 = file.ReadTensor("a.f32");
        using var bf16 = file.ReadTensor("c.bf16");
        using var f16 = file.ReadTensor("b.f16");
        Assert.Equal(new long[] { -1, 1L << 40 }, i64.data<long>().ToArray());
        Assert.Equal(new long[] { 2, 2 }, f32.shape);
        Assert.Equal(new[] { 1.5f, -2f, 3.25f, 0f }, f32.data<float>().ToArray());
        Assert.Equal(new[] { 1f, -2.5f }, bf16.data<float>().ToArray());
        Assert.Equal(new[] { 1f, -0.5f, 65504f }, f16.data<float>().ToArray());
    }

    [Fact]
    public void Writer_produces_the_same_bytes_as_the_python_reference_for_the_same_tensors()
    {
        using var files = new SafeTensorsTestFiles();
        using var f32 = torch.tensor(new[] { 1.5f, -2f, 3.25f, 0f }).reshape(2, 2);
        using var f16 = torch.tensor(new[] { 1f, -0.5f, 65504f }).to(ScalarType.Float16);
        using var bf16 = torch.tensor(new[] { 1f, -2.5f }).to(ScalarType.BFloat16);
        using var i64 = torch.tensor(new[] { -1L, 1L << 40 });
        string path = files.PathOf("cs.safetensors");

        SafeTensorsWriter.Write(path, [("b.f16", f16), ("a.f32", f32), ("d.i64", i64), ("c.bf16", bf16)], new Dictionary<string, string> { ["format"] = "pt" });

        Assert.Equal(PythonBuiltHex, Convert.ToHexString(File.ReadAllBytes(path)).ToLowerInvariant());
    }

    /// <summary>
    /// The python reference read this writer's output as:
    /// <code>
    /// metadata {"format": "pt", "source": "DistillML"}
    /// ids I64 [3] [0, 24] values [0, 1, 2] sum 3.0
    /// encoder.weight BF16 [2, 2] [24, 32] values [1.0, 1.015625, -0.333984375, 3.3895313892515355e+38] sum 3.3895313892515355e+38
    /// mask BOOL [3] [32, 35] values [True, False, True] sum 2.0
    /// file sha256 1597f386e9b53dd4d02c90ca0118bffac7428241d4e4e8f2e2e0c214bab1d144
    /// </code>
    /// </summary>
    [Fact]
    public void Writer_output_is_what_the_python_reference_reader_decoded()
    {
        using var files = new SafeTensorsTestFiles();
        string path = files.PathOf("for-python.safetensors");
        using var weight = torch.tensor(new[] { 1f, 1.01171875f, -1f / 3, 3.3895314e38f }).reshape(2, 2);
        using var ids = torch.arange(3L);
        using var mask = torch.tensor(new[] { true, false, true });
        SafeTensorsWriter.Write(path, [("encoder.weight", weight), ("ids", ids), ("mask", mask)],
            new Dictionary<string, string> { ["source"] = "DistillML", ["format"] = "pt" }, storeAs: SafeTensorsDType.BF16);
        string? dump = Environment.GetEnvironmentVariable("DISTILLML_SAFETENSORS_DUMP");
        if (!string.IsNullOrEmpty(dump)) File.Copy(path, dump, overwrite: true);

        Assert.Equal(PinnedWriterSha256, Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))).ToLowerInvariant());
        using var file = SafeTensorsFile.Open(path);
        Assert.Equal(["ids", "encoder.weight", "mask"], file.Names);
        using var read = file.ReadTensor("encoder.weight");
        Assert.Equal(new[] { 1f, 1.015625f, -0.333984375f, 3.3895313892515355e+38f }, read.data<float>().ToArray());
    }

    const string PinnedWriterSha256 = "1597f386e9b53dd4d02c90ca0118bffac7428241d4e4e8f2e2e0c214bab1d144";
}
