using System.Buffers.Binary;
using DistillML.Torch.Checkpoints;
using TorchSharp;
using static DistillML.Torch.Tests.Checkpoints.SafeTensorsTestFiles;

namespace DistillML.Torch.Tests.Checkpoints;

/// <summary>Every malformed file is refused with a message naming the file, the tensor at fault and the problem.</summary>
public class SafeTensorsValidationTests
{
    static SafeTensorsFormatException Rejects(SafeTensorsTestFiles files, byte[] bytes, params string[] expectedInMessage)
    {
        string path = files.WriteBytes("bad.safetensors", bytes);
        var error = Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.Open(path).Dispose());
        Assert.Contains(path, error.Message);
        Assert.Equal(path, error.FilePath);
        foreach (string part in expectedInMessage) Assert.Contains(part, error.Message);
        return error;
    }

    static string Entry(string name, string dtype, string shape, long begin, long end) =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":[{begin},{end}]}}";

    [Fact]
    public void Reader_rejects_a_header_length_larger_than_the_file()
    {
        using var files = new SafeTensorsTestFiles();
        byte[] bytes = Assemble("{}      ");
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1000);
        Rejects(files, bytes, "header length 1000", "larger than");
    }

    [Fact]
    public void Reader_rejects_a_header_length_that_would_not_fit_any_file()
    {
        using var files = new SafeTensorsTestFiles();
        byte[] bytes = Assemble("{}      ");
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue);
        Rejects(files, bytes, "header length", "larger than");
    }

    [Fact]
    public void Reader_rejects_a_header_over_the_size_limit()
    {
        using var files = new SafeTensorsTestFiles();
        string path = files.PathOf("huge.safetensors");
        using (var stream = File.Create(path))
        {
            var prefix = new byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, SafeTensorsFile.MaxHeaderLength + 1);
            stream.Write(prefix);
            stream.SetLength(8 + SafeTensorsFile.MaxHeaderLength + 8);   // sparse: no real disk use
        }
        var error = Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.Open(path).Dispose());
        Assert.Contains("limit", error.Message);
    }

    [Fact]
    public void Reader_rejects_a_file_shorter_than_the_length_prefix()
    {
        using var files = new SafeTensorsTestFiles();
        Rejects(files, [1, 0, 0], "3 bytes");
    }

    [Fact]
    public void Reader_rejects_a_header_that_is_not_json()
    {
        using var files = new SafeTensorsTestFiles();
        Rejects(files, Assemble("{not json}      "), "not valid UTF-8 JSON");
    }

    [Fact]
    public void Reader_rejects_a_header_that_is_not_utf8()
    {
        using var files = new SafeTensorsTestFiles();
        byte[] bytes = Assemble("{\"a\":\"x\"}       ");
        bytes[8 + 7] = 0xFF;   // the x
        Rejects(files, bytes, "not valid UTF-8 JSON");
    }

    [Fact]
    public void Reader_rejects_a_header_that_is_not_an_object()
    {
        using var files = new SafeTensorsTestFiles();
        Rejects(files, Assemble("[1,2]   "), "not an object");
    }

    [Fact]
    public void Reader_rejects_an_unknown_dtype_naming_the_tensor()
    {
        using var files = new SafeTensorsTestFiles();
        var error = Rejects(files, Assemble("{" + Entry("w.q", "F8_E4M3", "[2]", 0, 2) + "}", 0, 0), "'w.q'", "F8_E4M3", "BF16");
        Assert.Equal("w.q", error.TensorName);
    }

    [Fact]
    public void Reader_rejects_data_offsets_that_do_not_match_shape_and_dtype()
    {
        using var files = new SafeTensorsTestFiles();
        Rejects(files, Assemble("{" + Entry("emb", "F32", "[2,2]", 0, 12) + "}", new byte[12]), "'emb'", "12 bytes", "[2, 2]", "needs 16");
    }

    [Fact]
    public void Reader_rejects_overlapping_tensors_naming_both()
    {
        using var files = new SafeTensorsTestFiles();
        string header = "{" + Entry("a", "F32", "[2]", 0, 8) + "," + Entry("b", "F32", "[2]", 4, 12) + "}";
        Rejects(files, Assemble(header, new byte[12]), "'b'", "overlap", "'a'");
    }

    [Fact]
    public void Reader_rejects_offsets_past_the_end_of_the_buffer_naming_the_tensor()
    {
        using var files = new SafeTensorsTestFiles();
        string header = "{" + Entry("a", "F32", "[2]", 0, 8) + "," + Entry("b", "F32", "[2]", 8, 16) + "}";
        Rejects(files, Assemble(header, new byte[8]), "'b'", "[8, 16]", "past the end", "8 bytes");
    }

    [Fact]
    public void Reader_rejects_truncated_file_naming_the_tensor()
    {
        using var files = new SafeTensorsTestFiles();
        string path = files.PathOf("full.safetensors");
        using var big = torch.ones(100);
        using var small = torch.ones(2, dtype: torch.ScalarType.Int64);
        SafeTensorsWriter.Write(path, [("encoder.big", big), ("ids", small)]);
        byte[] whole = File.ReadAllBytes(path);
        byte[] cut = whole[..(whole.Length - 200)];   // the cut falls inside encoder.big, the last tensor

        var error = Rejects(files, cut, "'encoder.big'", "truncated");
        Assert.Equal("encoder.big", error.TensorName);
    }

    [Fact]
    public void Reader_rejects_gaps_between_tensors()
    {
        using var files = new SafeTensorsTestFiles();
        string header = "{" + Entry("a", "F32", "[1]", 0, 4) + "," + Entry("b", "F32", "[1]", 8, 12) + "}";
        Rejects(files, Assemble(header, new byte[12]), "'b'", "4 unused bytes");
    }

    [Fact]
    public void Reader_rejects_bytes_after_the_last_tensor()
    {
        using var files = new SafeTensorsTestFiles();
        Rejects(files, Assemble("{" + Entry("a", "F32", "[1]", 0, 4) + "}", new byte[6]), "6 bytes", "holds 6 bytes but the tensors cover only 4");
    }

    [Fact]
    public void Reader_rejects_a_tensor_listed_twice()
    {
        using var files = new SafeTensorsTestFiles();
        string header = "{" + Entry("a", "F32", "[1]", 0, 4) + "," + Entry("a", "F32", "[1]", 4, 8) + "}";
        Rejects(files, Assemble(header, new byte[8]), "'a'", "twice");
    }

    [Fact]
    public void Reader_rejects_negative_or_fractional_shapes_and_missing_fields()
    {
        using var files = new SafeTensorsTestFiles();
        Rejects(files, Assemble("{" + Entry("neg", "F32", "[-1]", 0, 0) + "}"), "'neg'", "shape", "non-negative integer");
        Rejects(files, Assemble("{" + Entry("frac", "F32", "[1.5]", 0, 0) + "}"), "'frac'", "shape");
        Rejects(files, Assemble("{\"nooff\":{\"dtype\":\"F32\",\"shape\":[1]}}", new byte[4]), "'nooff'", "data_offsets");
        Rejects(files, Assemble("{\"three\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", new byte[4]), "'three'", "[begin, end]");
        Rejects(files, Assemble("{" + Entry("back", "F32", "[0]", 4, 0) + "}"), "'back'", "ends before it begins");
    }

    [Fact]
    public void Reader_rejects_a_shape_whose_byte_count_overflows()
    {
        using var files = new SafeTensorsTestFiles();
        Rejects(files, Assemble("{" + Entry("huge", "F64", "[4294967296,4294967296]", 0, 0) + "}"), "'huge'", "overflows");
    }

    [Fact]
    public void Reader_rejects_metadata_values_that_are_not_strings()
    {
        using var files = new SafeTensorsTestFiles();
        Rejects(files, Assemble("{\"__metadata__\":{\"epochs\":3}}"), "__metadata__", "'epochs'", "not a string");
    }
}
