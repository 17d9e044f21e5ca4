using System.Diagnostics;
using System.Text.Json;
using DistillML.Torch.Checkpoints;
using DistillML.Torch.Modeling;
using DistillML.Torch.Tests.Modeling;
using static TorchSharp.torch;

namespace DistillML.Torch.Tests.Checkpoints;

/// <summary>Checkpoints stored as Hugging Face also stores them: pytorch_model.bin (written here by Debian's python3-torch) and sharded safetensors.</summary>
public sealed class CheckpointFormatsTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("distillml-formats-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData(ModelFamily.Bert)]
    [InlineData(ModelFamily.DistilBert)]
    public void Pytorch_model_bin_written_by_torch_save_loads_with_every_tensor_equal(ModelFamily family)
    {
        var config = BertQaModelTests.Tiny(family);
        BertConfigJson.Write(config, Path.Combine(dir, BertCheckpoint.ConfigFile));
        Dictionary<string, long[]> shapes;
        using (var reference = new BertQaModel(config))
            shapes = reference.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
        File.WriteAllText(Path.Combine(dir, "shapes.json"), JsonSerializer.Serialize(shapes));

        var python = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Reference", "torch_save_reference.py"), Path.Combine(dir, "shapes.json"), dir }) python.ArgumentList.Add(a);
        using (var process = Process.Start(python)!)
        {
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"python3-torch failed (apt-get install python3-torch): {error}");
        }

        using var model = BertCheckpoint.Load(dir);
        var values = File.ReadAllBytes(Path.Combine(dir, "values.bin"));
        int offset = 0;
        var state = model.state_dict();
        foreach (var (name, shape) in shapes)
        {
            int count = (int)shape.Aggregate(1L, (a, d) => a * d);
            var expected = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(values.AsSpan(offset, count * 4)).ToArray();
            offset += count * 4;
            Assert.True(expected.AsSpan().SequenceEqual(state[name].data<float>().ToArray()), $"{name} differs");
        }
        Assert.Equal(values.Length, offset);
    }

    [Fact]
    public void Sharded_safetensors_load_with_every_tensor_equal()
    {
        var config = BertQaModelTests.Tiny(ModelFamily.Bert);
        using var original = new BertQaModel(config);
        BertConfigJson.Write(config, Path.Combine(dir, BertCheckpoint.ConfigFile));
        var tensors = original.state_dict().ToList();
        var shards = new[] { tensors.Take(tensors.Count / 2).ToList(), tensors.Skip(tensors.Count / 2).ToList() };
        var map = new Dictionary<string, string>();
        for (int i = 0; i < shards.Length; i++)
        {
            string shard = $"model-0000{i + 1}-of-00002.safetensors";
            SafeTensorsWriter.Write(Path.Combine(dir, shard), shards[i].Select(kv => (kv.Key, kv.Value)));
            foreach (var (name, _) in shards[i]) map[name] = shard;
        }
        File.WriteAllText(Path.Combine(dir, "model.safetensors.index.json"), JsonSerializer.Serialize(new { metadata = new { total_size = 0 }, weight_map = map }));

        using var loaded = BertCheckpoint.Load(dir);
        foreach (var (name, tensor) in original.state_dict())
            Assert.True(tensor.equal(loaded.state_dict()[name]).all().item<bool>(), $"{name} differs");
    }

    [Fact]
    public void A_shard_the_index_names_but_that_is_missing_is_named()
    {
        BertConfigJson.Write(BertQaModelTests.Tiny(ModelFamily.Bert), Path.Combine(dir, BertCheckpoint.ConfigFile));
        File.WriteAllText(Path.Combine(dir, "model.safetensors.index.json"), """{"weight_map": {"qa_outputs.weight": "model-00001-of-00002.safetensors"}}""");
        var e = Assert.Throws<FileNotFoundException>(() => BertCheckpoint.Load(dir));
        Assert.Contains("model-00001-of-00002.safetensors", e.Message);
    }

    [Fact]
    public void A_directory_without_weights_names_the_files_looked_for()
    {
        BertConfigJson.Write(BertQaModelTests.Tiny(ModelFamily.Bert), Path.Combine(dir, BertCheckpoint.ConfigFile));
        var e = Assert.Throws<FileNotFoundException>(() => BertCheckpoint.Load(dir));
        Assert.Contains("pytorch_model.bin", e.Message);
        Assert.Contains("model.safetensors", e.Message);
    }
}
