using DistillML.Text.Squad;
using DistillML.TestSupport;
using DistillML.Torch.Modeling;
using DistillML.Torch.OnnxExport;
using Xunit.Abstractions;

namespace DistillML.Onnx.Tests.Service;

public sealed class ServiceLoadTests(ITestOutputHelper output) : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"onnx-load-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    /// <summary>
    /// Serves an L2/H128 student (fp32 and int8) and drives it with 4 concurrent loopback clients over real SQuAD dev
    /// questions (full 384-token windows): every request must succeed; latency percentiles and throughput are printed.
    /// </summary>
    [Fact]
    [Trait("Category", "Long")]
    public async Task Loopback_load_test_reports_latency_and_throughput_without_failures()
    {
        using var model = TorchRandom.Seeded(5, () => new BertQaModel(new BertConfig { HiddenSize = 128, NumLayers = 2, NumHeads = 2, IntermediateSize = 512, MaxPositionEmbeddings = 512 })
        {
            VocabularyPath = SharedAssets.BertVocab,
        });
        var bodies = SquadDataset.Read(SharedAssets.Squad("dev-v2.0.json")).Take(200).Select(q => (q.Question, q.Context)).ToList();
        foreach (var format in new[] { OnnxWeightFormat.Float32, OnnxWeightFormat.Int8 })
        {
            string path = model.ExportOnnx(Path.Combine(root, format.ToString(), "model.onnx"), new OnnxExportOptions { WeightFormat = format }).Path;
            using var service = new ServiceProcess(path);
            await LoadGenerator.RunAsync(service.Client, bodies, total: 60, concurrency: 4); // warm-up
            var result = await LoadGenerator.RunAsync(service.Client, bodies, total: 400, concurrency: 4);
            output.WriteLine($"L2/H128 {format}: {result}");
            Assert.Equal(0, result.Failures);
            Assert.False(service.HasExited);
        }
    }
}
