using DistillML.TestSupport;
using Microsoft.ML.OnnxRuntime;

namespace DistillML.Onnx.Tests.Inference;

public sealed class BadInputTests(DevModel dev) : IClassFixture<DevModel>
{
    [Theory]
    [InlineData("", "Some context.", "the question is empty")]
    [InlineData("   ", "Some context.", "the question is empty")]
    [InlineData("Who?", "", "the context is empty")]
    public void Empty_question_or_context_is_rejected_with_its_index(string question, string context, string message)
    {
        using var qa = new OnnxQuestionAnswerer(dev.ModelPath);
        var error = Assert.Throws<ArgumentException>(() => qa.AnswerBatch([new QaQuestion("Fine?", "Fine."), new QaQuestion(question, context)]));
        Assert.Contains($"Question 1: {message}", error.Message);
    }

    [Fact]
    public void Missing_model_file_is_named()
    {
        var error = Assert.Throws<FileNotFoundException>(() => new OnnxQuestionAnswerer(Path.Combine(dev.Directory, "nope.onnx")));
        Assert.Contains("nope.onnx", error.Message);
    }

    [Fact]
    public void Missing_vocabulary_is_named_with_the_option_to_set()
    {
        var error = Assert.Throws<FileNotFoundException>(() => new OnnxQuestionAnswerer(dev.ModelPath, new() { VocabPath = "/nonexistent/vocab.txt" }));
        Assert.Contains("/nonexistent/vocab.txt", error.Message);
        Assert.Contains("VocabPath", error.Message);
    }

    [Fact]
    public void A_different_vocabulary_is_refused_with_both_hashes()
    {
        string other = Path.Combine(dev.Directory, "other-vocab.txt");
        File.WriteAllLines(other, File.ReadAllLines(SharedAssets.BertVocab).Select((t, i) => i == 1000 ? "changed" : t));
        var error = Assert.Throws<InvalidDataException>(() => new OnnxQuestionAnswerer(dev.ModelPath, new() { VocabPath = other }));
        Assert.Contains("other-vocab.txt", error.Message);
        Assert.Contains("distillml.vocab_hash", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_onnx_fails_to_load()
    {
        string path = Path.Combine(dev.Directory, "junk", "model.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "not a model");
        File.Copy(SharedAssets.BertVocab, Path.Combine(Path.GetDirectoryName(path)!, "vocab.txt"));
        Assert.Throws<OnnxRuntimeException>(() => new OnnxQuestionAnswerer(path));
    }

    [Fact]
    public void Requiring_cuda_without_a_cuda_build_says_how_to_get_one()
    {
        if (OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider")) return; // a GPU build: nothing to test
        var error = Assert.Throws<InvalidOperationException>(() => new OnnxQuestionAnswerer(dev.ModelPath, new() { ExecutionProvider = ExecutionProviderPreference.Cuda }));
        Assert.Contains("DistillMLGpu", error.Message);
    }
}
