using DistillML.TestSupport;
using DistillML.Torch.Checkpoints;
using DistillML.Torch.Modeling;
using DistillML.Torch.Tests.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace DistillML.Torch.Tests.Checkpoints;

public sealed class BertCheckpointTests : IDisposable
{
    readonly string root = Path.Combine(Path.GetTempPath(), $"ckpt-{Guid.NewGuid():N}");

    public BertCheckpointTests() => Directory.CreateDirectory(root);

    public void Dispose() => Directory.Delete(root, recursive: true);

    static (Tensor Ids, Tensor Mask, Tensor Types) Inputs()
    {
        var ids = torch.tensor(new long[] { 2, 7, 9, 31, 4, 0, 3, 8, 8, 1, 5, 6 }, [2, 6]);
        var mask = torch.tensor(new long[] { 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1 }, [2, 6]);
        var types = torch.tensor(new long[] { 0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1 }, [2, 6]);
        return (ids, mask, types);
    }

    [Theory]
    [InlineData(ModelFamily.Bert)]
    [InlineData(ModelFamily.DistilBert)]
    public void Save_then_load_gives_identical_logits(ModelFamily family)
    {
        torch.manual_seed(8);
        using var model = new BertQaModel(BertQaModelTests.Tiny(family));
        model.eval();
        string dir = Path.Combine(root, "model");
        model.Save(dir);
        Assert.Equal(new[] { "config.json", "model.safetensors" }, Directory.GetFiles(dir).Select(Path.GetFileName).Order());

        using var loaded = BertQaModel.Load(dir);
        Assert.Equal(model.Config with { QaDropout = family == ModelFamily.Bert ? 0 : model.Config.QaDropout }, loaded.Config);
        var (ids, mask, types) = Inputs();
        var a = model.forward(ids, mask, types);
        var b = loaded.forward(ids, mask, types);
        Assert.True(a.StartLogits.allclose(b.StartLogits, rtol: 0, atol: 0));
        Assert.True(a.EndLogits.allclose(b.EndLogits, rtol: 0, atol: 0));
    }

    [Fact]
    public void Vocabulary_travels_with_the_checkpoint_and_must_match_vocab_size()
    {
        torch.manual_seed(1);
        using var model = new BertQaModel(BertQaModelTests.Tiny(ModelFamily.Bert) with { VocabSize = 30522 }) { VocabularyPath = SharedAssets.BertVocab };
        string dir = Path.Combine(root, "with-vocab");
        model.Save(dir);
        Assert.Equal(File.ReadAllText(SharedAssets.BertVocab), File.ReadAllText(Path.Combine(dir, "vocab.txt")));
        using (var loaded = BertQaModel.Load(dir)) Assert.Equal(Path.Combine(dir, "vocab.txt"), loaded.VocabularyPath);

        File.WriteAllLines(Path.Combine(dir, "vocab.txt"), ["[PAD]", "[UNK]"]);
        var e = Assert.Throws<CheckpointMismatchException>(() => BertQaModel.Load(dir));
        Assert.Contains("vocab_size = 30522", e.Message);
    }

    [Fact]
    public void Missing_tensor_is_named_with_its_expected_shape()
    {
        torch.manual_seed(1);
        using var model = new BertQaModel(BertQaModelTests.Tiny(ModelFamily.Bert));
        string dir = Path.Combine(root, "missing");
        model.Save(dir);
        var kept = model.state_dict().Where(kv => kv.Key != "bert.encoder.layer.1.output.dense.weight").Select(kv => (kv.Key, kv.Value));
        SafeTensorsWriter.Write(Path.Combine(dir, "model.safetensors"), kept);
        var e = Assert.Throws<CheckpointMismatchException>(() => BertQaModel.Load(dir));
        Assert.Contains("'bert.encoder.layer.1.output.dense.weight' (expected shape [12, 20])", e.Message);
    }

    [Fact]
    public void Misshapen_tensor_is_named_with_both_shapes()
    {
        torch.manual_seed(1);
        using var model = new BertQaModel(BertQaModelTests.Tiny(ModelFamily.Bert));
        string dir = Path.Combine(root, "shape");
        model.Save(dir);
        var tensors = model.state_dict().Select(kv => (kv.Key, kv.Key == "qa_outputs.weight" ? torch.zeros(3, 12) : kv.Value));
        SafeTensorsWriter.Write(Path.Combine(dir, "model.safetensors"), tensors);
        var e = Assert.Throws<CheckpointMismatchException>(() => BertQaModel.Load(dir));
        Assert.Contains("'qa_outputs.weight' has shape [3, 12] in the file but the model expects [2, 12]", e.Message);
    }

    [Fact]
    public void Extra_tensor_is_rejected_but_position_ids_buffer_is_accepted()
    {
        torch.manual_seed(1);
        using var model = new BertQaModel(BertQaModelTests.Tiny(ModelFamily.Bert));
        string dir = Path.Combine(root, "extra");
        model.Save(dir);
        var withBuffer = model.state_dict().Select(kv => (kv.Key, kv.Value)).Append(("bert.embeddings.position_ids", torch.arange(16).unsqueeze(0)));
        SafeTensorsWriter.Write(Path.Combine(dir, "model.safetensors"), withBuffer);
        using (BertQaModel.Load(dir)) { }

        var withExtra = model.state_dict().Select(kv => (kv.Key, kv.Value)).Append(("bert.encoder.layer.2.output.dense.weight", torch.zeros(12, 20)));
        SafeTensorsWriter.Write(Path.Combine(dir, "model.safetensors"), withExtra);
        var e = Assert.Throws<CheckpointMismatchException>(() => BertQaModel.Load(dir));
        Assert.Contains("'bert.encoder.layer.2.output.dense.weight'", e.Message);
    }

    [Fact]
    public void Encoder_checkpoint_loads_with_a_new_qa_head_only_when_allowed()
    {
        torch.manual_seed(1);
        using var model = new BertQaModel(BertQaModelTests.Tiny(ModelFamily.Bert));
        string dir = Path.Combine(root, "encoder");
        model.Save(dir);
        var encoderOnly = model.state_dict().Where(kv => !kv.Key.StartsWith("qa_outputs")).Select(kv => (kv.Key, kv.Value))
            .Append(("cls.predictions.bias", torch.zeros(40))).Append(("bert.pooler.dense.weight", torch.zeros(12, 12)));
        SafeTensorsWriter.Write(Path.Combine(dir, "model.safetensors"), encoderOnly);
        Assert.Throws<CheckpointMismatchException>(() => BertQaModel.Load(dir));
        using var loaded = BertCheckpoint.Load(dir, allowNewQaHead: true);
        Assert.True(loaded.state_dict()["bert.encoder.layer.0.output.dense.weight"].allclose(model.state_dict()["bert.encoder.layer.0.output.dense.weight"], rtol: 0, atol: 0));
    }

    [Fact]
    public void Truncated_weights_file_fails_loudly()
    {
        torch.manual_seed(1);
        using var model = new BertQaModel(BertQaModelTests.Tiny(ModelFamily.Bert));
        string dir = Path.Combine(root, "truncated");
        model.Save(dir);
        string weights = Path.Combine(dir, "model.safetensors");
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length - 100)]);
        var e = Assert.Throws<SafeTensorsFormatException>(() => BertQaModel.Load(dir));
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Saving_over_an_existing_checkpoint_replaces_it_whole()
    {
        torch.manual_seed(1);
        using var first = new BertQaModel(BertQaModelTests.Tiny(ModelFamily.Bert));
        using var second = new BertQaModel(BertQaModelTests.Tiny(ModelFamily.DistilBert));
        string dir = Path.Combine(root, "replace");
        first.Save(dir);
        second.Save(dir);
        using var loaded = BertQaModel.Load(dir);
        Assert.Equal(ModelFamily.DistilBert, loaded.Config.Family);
        Assert.Equal(new[] { "replace" }, Directory.GetFileSystemEntries(root).Select(Path.GetFileName)); // no staging or backup left
    }
}
