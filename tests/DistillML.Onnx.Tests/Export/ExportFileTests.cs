using DistillML.Torch.Modeling;
using DistillML.Torch.OnnxExport;

namespace DistillML.Onnx.Tests.Export;

public sealed class ExportFileTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"onnx-file-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    private static OnnxExportOptions Options() => new() { Featurizer = new() { MaxSequenceLength = 64, DocStride = 16, MaxQueryLength = 16 } };

    [Fact]
    public void Export_replaces_an_existing_file_copies_the_vocabulary_and_leaves_no_temporary_files()
    {
        string vocab = TinyModels.WriteVocabulary(Path.Combine(root, "src"));
        using var model = TinyModels.Create(ModelFamily.DistilBert, vocab, maxPositions: 64);
        string path = Path.Combine(root, "out", "model.onnx");
        model.ExportOnnx(path, Options());
        var second = model.ExportOnnx(path, Options());
        Assert.Equal(new FileInfo(path).Length, second.FileBytes);
        Assert.Equal(["model.onnx", "vocab.txt"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName).Order());
        Assert.Equal(File.ReadAllText(vocab), File.ReadAllText(second.VocabularyPath!));
    }

    [Fact]
    public void Export_refuses_a_different_vocabulary_already_beside_the_target_and_writes_nothing()
    {
        string vocab = TinyModels.WriteVocabulary(Path.Combine(root, "src"));
        using var model = TinyModels.Create(ModelFamily.Bert, vocab, maxPositions: 64);
        string outDir = Path.Combine(root, "out");
        Directory.CreateDirectory(outDir);
        File.WriteAllLines(Path.Combine(outDir, "vocab.txt"), File.ReadAllLines(vocab).Reverse());
        var error = Assert.Throws<InvalidOperationException>(() => model.ExportOnnx(Path.Combine(outDir, "model.onnx"), Options()));
        Assert.Contains("vocab.txt", error.Message);
        Assert.False(File.Exists(Path.Combine(outDir, "model.onnx")));
    }

    [Fact]
    public void Export_without_a_known_vocabulary_names_the_options_to_set()
    {
        using var model = TinyModels.Create(ModelFamily.Bert, "unused", maxPositions: 64);
        model.VocabularyPath = null;
        var error = Assert.Throws<ArgumentException>(() => model.ExportOnnx(Path.Combine(root, "m.onnx"), Options()));
        Assert.Contains("VocabularyPath", error.Message);
    }

    [Fact]
    public void Export_rejects_windows_longer_than_the_position_embeddings()
    {
        string vocab = TinyModels.WriteVocabulary(Path.Combine(root, "src"));
        using var model = TinyModels.Create(ModelFamily.Bert, vocab, maxPositions: 64);
        var error = Assert.Throws<ArgumentException>(() => model.ExportOnnx(Path.Combine(root, "m.onnx"), new OnnxExportOptions()));
        Assert.Contains("max_position_embeddings 64", error.Message);
    }
}
