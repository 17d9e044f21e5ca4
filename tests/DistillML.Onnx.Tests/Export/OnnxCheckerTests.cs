using DistillML.Torch.Modeling;
using DistillML.Torch.OnnxExport;

namespace DistillML.Onnx.Tests.Export;

public sealed class OnnxCheckerTests(ExportedModels models) : IClassFixture<ExportedModels>
{
    [Theory]
    [InlineData(ModelFamily.Bert, OnnxWeightFormat.Float32)]
    [InlineData(ModelFamily.Electra, OnnxWeightFormat.Float32)]
    [InlineData(ModelFamily.Bert, OnnxWeightFormat.Float16)]
    [InlineData(ModelFamily.Bert, OnnxWeightFormat.Int8)]
    [InlineData(ModelFamily.DistilBert, OnnxWeightFormat.Float32)]
    [InlineData(ModelFamily.DistilBert, OnnxWeightFormat.Float16)]
    [InlineData(ModelFamily.DistilBert, OnnxWeightFormat.Int8)]
    public void Every_export_passes_the_reference_onnx_checker_with_full_check(ModelFamily family, OnnxWeightFormat format)
    {
        if (!CheckerRuns()) return;
        var (exitCode, text) = OnnxChecker.Check(models.Export(family, format).Path);
        Assert.True(exitCode == 0, $"onnx.checker.check_model(full_check=True) rejected the {family} {format} export:\n{text}");
    }

    [Theory]
    [InlineData(ModelFamily.Bert, OnnxWeightFormat.Float32)]
    [InlineData(ModelFamily.Bert, OnnxWeightFormat.Int8)]
    [InlineData(ModelFamily.DistilBert, OnnxWeightFormat.Float16)]
    public void The_ort_fused_export_passes_the_checker_too(ModelFamily family, OnnxWeightFormat format)
    {
        if (!CheckerRuns()) return;
        var result = models.Models[family].ExportOnnx(Path.Combine(models.Directory, $"checker-fused-{family}-{format}", "model.onnx"),
            new OnnxExportOptions { WeightFormat = format, OrtFusedOperators = true });
        var (exitCode, text) = OnnxChecker.Check(result.Path);
        Assert.True(exitCode == 0, $"onnx.checker.check_model(full_check=True) rejected the fused {family} {format} export:\n{text}");
    }

    // False when the checker is skipped on purpose; fails the test with the way to install it when it is missing.
    private static bool CheckerRuns()
    {
        if (OnnxChecker.Unavailable is not { } why) return true;
        if (OnnxChecker.Skipped) return false;
        Assert.Fail($"The ONNX checker cannot run: {why}. Install Debian's python3-onnx (apt-get install -y python3-onnx), " +
            $"or set {OnnxChecker.SkipVariable}=1 to skip this check.");
        return false;
    }
}
