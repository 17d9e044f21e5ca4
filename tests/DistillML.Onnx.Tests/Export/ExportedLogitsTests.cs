using DistillML.Torch.Modeling;
using DistillML.Torch.OnnxExport;
using Xunit.Abstractions;

namespace DistillML.Onnx.Tests.Export;

public sealed class ExportedLogitsTests(ExportedModels models, ITestOutputHelper output) : IClassFixture<ExportedModels>
{
    /// <summary>
    /// Tolerances of the lossy formats, relative to the largest |logit| of the batch (the tiny models' logits reach
    /// about 2-4): float16 weights round each weight to 11 significant bits; int8 quantises weights per channel and
    /// activations per tensor, which costs more.
    /// </summary>
    public const double Float16RelativeTolerance = 0.005, Int8RelativeTolerance = 0.10;

    [Theory]
    [InlineData(ModelFamily.Bert)]
    [InlineData(ModelFamily.DistilBert)]
    [InlineData(ModelFamily.Electra)]
    public void Float32_logits_equal_torchsharps_within_1e4_on_padded_random_batches(ModelFamily family)
    {
        foreach (var (batch, sequence, seed) in new[] { (7, 17, 1), (3, 64, 2), (2, 384, 3) })
        {
            var input = RandomBatch.Create(batch, sequence, TinyModels.VocabSize, seed);
            var torchLogits = Logits.FromTorch(models.Models[family], input);
            var onnxLogits = Logits.FromOnnx(models.Session(family, OnnxWeightFormat.Float32), input);
            double error = torchLogits.MaxAbsDifference(onnxLogits);
            output.WriteLine($"{family} fp32 [{batch}x{sequence}]: max |logit| {torchLogits.MaxAbsValue:F3}, max abs error {error:E2}");
            Assert.True(error < 1e-4, $"{family} [{batch}x{sequence}]: max abs error {error:E3} between ONNX Runtime and TorchSharp.");
        }
    }

    [Theory]
    [InlineData(ModelFamily.Bert, OnnxWeightFormat.Float16, Float16RelativeTolerance)]
    [InlineData(ModelFamily.DistilBert, OnnxWeightFormat.Float16, Float16RelativeTolerance)]
    [InlineData(ModelFamily.Bert, OnnxWeightFormat.Int8, Int8RelativeTolerance)]
    [InlineData(ModelFamily.DistilBert, OnnxWeightFormat.Int8, Int8RelativeTolerance)]
    [InlineData(ModelFamily.Electra, OnnxWeightFormat.Int8, Int8RelativeTolerance)]
    public void Lossy_formats_stay_within_their_stated_tolerance_of_torchsharp(ModelFamily family, OnnxWeightFormat format, double relativeTolerance)
    {
        var input = RandomBatch.Create(7, 64, TinyModels.VocabSize, seed: 5);
        var torchLogits = Logits.FromTorch(models.Models[family], input);
        var onnxLogits = Logits.FromOnnx(models.Session(family, format), input);
        double error = torchLogits.MaxAbsDifference(onnxLogits), scale = torchLogits.MaxAbsValue;
        output.WriteLine($"{family} {format}: max |logit| {scale:F3}, max abs error {error:E2} ({error / scale:P2})");
        Assert.True(error <= relativeTolerance * scale,
            $"{family} {format}: max abs error {error:E3} exceeds {relativeTolerance:P0} of the largest logit {scale:F3}.");
    }

    [Theory]
    [InlineData(ModelFamily.Bert, OnnxWeightFormat.Float32)]
    [InlineData(ModelFamily.DistilBert, OnnxWeightFormat.Float32)]
    [InlineData(ModelFamily.Bert, OnnxWeightFormat.Int8)]
    [InlineData(ModelFamily.DistilBert, OnnxWeightFormat.Float16)]
    public void Batch_and_sequence_axes_are_dynamic(ModelFamily family, OnnxWeightFormat format)
    {
        var session = models.Session(family, format);
        foreach (var batch in new[] { 1, 7 })
            foreach (var sequence in new[] { 17, 384 })
            {
                var input = RandomBatch.Create(batch, sequence, TinyModels.VocabSize, seed: batch * 1000 + sequence);
                var logits = Logits.FromOnnx(session, input); // asserts the [batch, sequence] output shapes
                Assert.Equal(batch * sequence, logits.Start.Length);
                Assert.All(logits.Start, v => Assert.True(float.IsFinite(v)));
            }
    }

    [Theory]
    [InlineData(ModelFamily.Bert)]
    [InlineData(ModelFamily.DistilBert)]
    public void Padding_does_not_change_the_logits_of_real_tokens(ModelFamily family)
    {
        var session = models.Session(family, OnnxWeightFormat.Float32);
        var padded = RandomBatch.Create(1, 40, TinyModels.VocabSize, seed: 9);
        int real = 25;
        for (int c = real; c < 40; c++) { padded.InputIds[c] = 0; padded.AttentionMask[c] = 0; padded.TokenTypeIds[c] = 0; }
        var trimmed = new RandomBatch(1, real, padded.InputIds[..real], padded.AttentionMask[..real], padded.TokenTypeIds[..real]);
        var a = Logits.FromOnnx(session, padded);
        var b = Logits.FromOnnx(session, trimmed);
        for (int c = 0; c < real; c++)
        {
            Assert.Equal(b.Start[c], a.Start[c], tolerance: 1e-4);
            Assert.Equal(b.End[c], a.End[c], tolerance: 1e-4);
        }
    }
}
