namespace DistillML.Onnx.Tests.Inference;

public sealed class DependencyTests
{
    [Fact]
    public void The_inference_library_does_not_reference_torchsharp()
    {
        var references = typeof(OnnxQuestionAnswerer).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.DoesNotContain(references, n => n.StartsWith("TorchSharp", StringComparison.OrdinalIgnoreCase) || n == "DistillML.Torch");
        Assert.Contains("Microsoft.ML.OnnxRuntime", references);
        Assert.Contains("DistillML.Text", references);
    }
}
