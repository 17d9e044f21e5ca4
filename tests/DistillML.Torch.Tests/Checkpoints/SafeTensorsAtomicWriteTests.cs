using DistillML.Torch.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace DistillML.Torch.Tests.Checkpoints;

/// <summary>A write that fails part-way leaves the previous file as it was and no temporary file behind.</summary>
public class SafeTensorsAtomicWriteTests
{
    static IEnumerable<(string, Tensor)> ThrowsAfterOne(Tensor first)
    {
        yield return ("first", first);
        throw new InvalidOperationException("interrupted");
    }

    [Fact]
    public void Interrupted_write_leaves_the_previous_file_intact_and_no_temporary_file()
    {
        using var files = new SafeTensorsTestFiles();
        string path = files.PathOf("model.safetensors");
        using var old = torch.arange(4f);
        SafeTensorsWriter.Write(path, [("old", old)]);
        byte[] before = File.ReadAllBytes(path);

        using var replacement = torch.ones(1000);
        var error = Assert.Throws<InvalidOperationException>(() => SafeTensorsWriter.Write(path, ThrowsAfterOne(replacement)));

        Assert.Equal("interrupted", error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(files.Directory));
    }

    [Fact]
    public void Write_failing_on_an_unstorable_tensor_leaves_the_previous_file_intact()
    {
        using var files = new SafeTensorsTestFiles();
        string path = files.PathOf("model.safetensors");
        using var old = torch.arange(4f);
        SafeTensorsWriter.Write(path, [("old", old)]);
        byte[] before = File.ReadAllBytes(path);

        using var fine = torch.ones(3);
        using var complex = torch.zeros(2, dtype: ScalarType.ComplexFloat32);
        var error = Assert.Throws<ArgumentException>(() => SafeTensorsWriter.Write(path, [("fine", fine), ("complex", complex)]));

        Assert.Contains("'complex'", error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(files.Directory));
    }

    [Fact]
    public void Interrupted_first_write_creates_no_file()
    {
        using var files = new SafeTensorsTestFiles();
        using var t = torch.ones(2);
        Assert.Throws<InvalidOperationException>(() => SafeTensorsWriter.Write(files.PathOf("new.safetensors"), ThrowsAfterOne(t)));
        Assert.Empty(Directory.GetFiles(files.Directory));
    }

    [Fact]
    public void A_reader_open_on_the_old_file_keeps_reading_it_while_the_file_is_replaced()
    {
        using var files = new SafeTensorsTestFiles();
        string path = files.PathOf("model.safetensors");
        using var old = torch.arange(4f);
        SafeTensorsWriter.Write(path, [("w", old)]);
        using var reader = SafeTensorsFile.Open(path);

        using var updated = torch.ones(4);
        SafeTensorsWriter.Write(path, [("w", updated)]);

        using var stale = reader.ReadTensor("w");
        Assert.Equal(new float[] { 0, 1, 2, 3 }, stale.data<float>().ToArray());
        using var fresh = SafeTensorsFile.Open(path);
        using var current = fresh.ReadTensor("w");
        Assert.Equal(new float[] { 1, 1, 1, 1 }, current.data<float>().ToArray());
    }
}
