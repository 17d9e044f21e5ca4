using System.Diagnostics;
using DistillML.Torch.Modeling;
using DistillML.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DistillML.Torch.Tests.Training;

public class TrainingLoopTests
{
    // A synthetic span task: the answer starts at the token with id 5 and ends at the token with id 6.
    internal sealed record Batch(Tensor Ids, Tensor Mask, Tensor Start, Tensor End);

    internal static IEnumerable<Batch> SpanBatches(int seed, int batch = 8, int seq = 12)
    {
        var random = new Random(seed);
        while (true)
        {
            var ids = new long[batch * seq];
            var start = new long[batch];
            var end = new long[batch];
            for (int b = 0; b < batch; b++)
            {
                for (int t = 0; t < seq; t++) ids[b * seq + t] = random.Next(7, 40);
                int s = random.Next(1, seq - 3), e = s + random.Next(0, 3);
                ids[b * seq + s] = 5;
                ids[b * seq + e] = e == s ? 5 : 6;
                start[b] = s;
                end[b] = e;
            }
            yield return new Batch(torch.tensor(ids, [batch, seq]), torch.ones(batch, seq, dtype: ScalarType.Int64), torch.tensor(start), torch.tensor(end));
        }
    }

    internal static Tensor SpanLoss(BertQaModel model, Batch b)
    {
        var output = model.forward(b.Ids, b.Mask, null);
        return (nn.functional.cross_entropy(output.StartLogits, b.Start) + nn.functional.cross_entropy(output.EndLogits, b.End)) / 2;
    }

    static (BertQaModel Model, IReadOnlyList<LossPoint> Curve) Train(int steps, TrainingLoopOptions options, int seed = 1)
    {
        torch.manual_seed(seed);
        var model = new BertQaModel(Modeling.BertQaModelTests.Tiny(ModelFamily.Bert) with { HiddenDropout = 0, AttentionDropout = 0 });
        var loop = new TrainingLoop(model, options, "test");
        var curve = loop.Run(SpanBatches(seed), steps, b => SpanLoss(model, b), b => (int)b.Ids.shape[0]);
        return (model, curve);
    }

    [Fact]
    public void Loss_falls_on_a_learnable_span_task()
    {
        var (model, curve) = Train(150, new TrainingLoopOptions { LearningRate = 3e-3, WarmupFraction = 0.05 });
        using var _ = model;
        double first = curve.Take(10).Average(p => p.Loss), last = curve.TakeLast(10).Average(p => p.Loss);
        Assert.True(last < first * 0.5, $"loss went from {first:F3} to {last:F3}");
    }

    [Fact]
    public void Same_seed_repeats_exactly_on_cpu()
    {
        var options = new TrainingLoopOptions { LearningRate = 1e-3 };
        var (a, curveA) = Train(15, options, seed: 4);
        var (b, curveB) = Train(15, options, seed: 4);
        using (a) using (b)
        {
            Assert.Equal(curveA, curveB);
            Assert.True(a.state_dict()["qa_outputs.weight"].allclose(b.state_dict()["qa_outputs.weight"], rtol: 0, atol: 0));
        }
    }

    [Fact]
    public void Non_finite_loss_stops_the_run_with_the_step()
    {
        torch.manual_seed(2);
        using var model = new BertQaModel(Modeling.BertQaModelTests.Tiny(ModelFamily.Bert));
        var loop = new TrainingLoop(model, new TrainingLoopOptions(), "test");
        int calls = 0;
        var e = Assert.Throws<TrainingDivergedException>(() =>
            loop.Run(SpanBatches(1), 10, b => ++calls == 3 ? SpanLoss(model, b) * double.NaN : SpanLoss(model, b), _ => 8));
        Assert.Equal(3, e.Step);
        Assert.Contains("NaN", e.Message);
    }

    [Fact]
    public void Cancellation_is_honoured_between_steps()
    {
        torch.manual_seed(2);
        using var model = new BertQaModel(Modeling.BertQaModelTests.Tiny(ModelFamily.Bert));
        using var cts = new CancellationTokenSource();
        int steps = 0;
        var loop = new TrainingLoop(model, new TrainingLoopOptions(), "test");
        Assert.ThrowsAny<OperationCanceledException>(() =>
            loop.Run(SpanBatches(1), 100, b => SpanLoss(model, b), _ => 8, afterStep: s => { steps = s; if (s == 4) cts.Cancel(); }, cancellationToken: cts.Token));
        Assert.Equal(4, steps);
    }

    [Fact]
    public void Progress_reports_step_loss_rate_and_eta()
    {
        torch.manual_seed(2);
        using var model = new BertQaModel(Modeling.BertQaModelTests.Tiny(ModelFamily.Bert));
        var reports = new List<TrainingProgress>();
        var loop = new TrainingLoop(model, new TrainingLoopOptions { ReportEvery = 5 }, "fine-tune");
        loop.Run(SpanBatches(1), 12, b => SpanLoss(model, b), _ => 8, progress: new SyncProgress<TrainingProgress>(reports.Add));
        Assert.Equal(new[] { 5, 10, 12 }, reports.Select(r => r.Step));
        Assert.All(reports, r => { Assert.Equal("fine-tune", r.Phase); Assert.Equal(12, r.TotalSteps); Assert.True(r.ExamplesPerSecond > 0); Assert.True(double.IsFinite(r.Loss)); });
        Assert.Equal(TimeSpan.Zero, reports[^1].Eta);
    }

    [Fact]
    public void Accumulating_two_half_batches_equals_one_full_batch()
    {
        // Same 8 examples: one step over a batch of 8 vs two accumulated micro-batches of 4 (mean losses, so equal gradients).
        var full = SpanBatches(9, batch: 8).First();
        var halves = new[]
        {
            new Batch(full.Ids[..4], full.Mask[..4], full.Start[..4], full.End[..4]),
            new Batch(full.Ids[4..], full.Mask[4..], full.Start[4..], full.End[4..]),
        };
        // Gradients, not parameters, are compared: Adam's first step is close to lr * sign(g), which turns
        // rounding noise in near-zero gradients into full-size differences.
        Dictionary<string, Tensor> Gradients(IEnumerable<Batch> batches, int accumulation)
        {
            torch.manual_seed(3);
            var model = new BertQaModel(Modeling.BertQaModelTests.Tiny(ModelFamily.Bert) with { HiddenDropout = 0, AttentionDropout = 0 });
            var gradients = new Dictionary<string, Tensor>();
            new TrainingLoop(model, new TrainingLoopOptions { LearningRate = 1e-2, WarmupFraction = 0, GradientAccumulationSteps = accumulation }, "t")
                .Run(batches, 1, b => SpanLoss(model, b), b => (int)b.Ids.shape[0],
                     afterStep: _ => { foreach (var (name, p) in model.named_parameters()) gradients[name] = p.grad!.clone(); });
            return gradients;
        }
        var one = Gradients([full], 1);
        var two = Gradients(halves, 2);
        Assert.Equal(one.Keys.Order(), two.Keys.Order());
        foreach (var (name, gradient) in one)
            Assert.True(gradient.allclose(two[name], rtol: 1e-4, atol: 1e-7), name);
    }

    [Fact]
    public void Biases_and_layer_norms_take_no_weight_decay()
    {
        Assert.True(OptimizerFactory.IsNoDecay("bert.encoder.layer.0.attention.output.LayerNorm.weight"));
        Assert.True(OptimizerFactory.IsNoDecay("distilbert.transformer.layer.0.sa_layer_norm.weight"));
        Assert.True(OptimizerFactory.IsNoDecay("qa_outputs.bias"));
        Assert.False(OptimizerFactory.IsNoDecay("bert.encoder.layer.0.attention.self.query.weight"));

        // With a zero gradient, AdamW only decays: weights shrink, biases and LayerNorms stay.
        torch.manual_seed(1);
        using var model = new BertQaModel(Modeling.BertQaModelTests.Tiny(ModelFamily.Bert));
        using (torch.no_grad()) foreach (var p in model.parameters()) p.add_(0.5);
        var before = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        new TrainingLoop(model, new TrainingLoopOptions { LearningRate = 0.1, WeightDecay = 0.5, WarmupFraction = 0 }, "t")
            .Run(SpanBatches(1), 1, b => SpanLoss(model, b) * 0, _ => 8);
        var after = model.state_dict();
        Assert.True(after["bert.encoder.layer.0.attention.self.query.weight"].allclose(before["bert.encoder.layer.0.attention.self.query.weight"] * (1 - 0.1 * 0.5), atol: 1e-6));
        Assert.True(after["bert.encoder.layer.0.output.LayerNorm.weight"].allclose(before["bert.encoder.layer.0.output.LayerNorm.weight"], rtol: 0, atol: 0));
        Assert.True(after["qa_outputs.bias"].allclose(before["qa_outputs.bias"], rtol: 0, atol: 0));
    }

    [Fact]
    public void Schedule_warms_up_linearly_then_decays_to_zero()
    {
        var s = new LinearWarmupSchedule(1.0, warmupSteps: 10, totalSteps: 110);
        Assert.Equal(0.0, s.At(0));
        Assert.Equal(0.5, s.At(5), 12);
        Assert.Equal(1.0, s.At(10), 12);
        Assert.Equal(0.5, s.At(60), 12);
        Assert.Equal(0.0, s.At(110), 12);
    }

    [Fact]
    public void Memory_stays_flat_over_a_thousand_steps()
    {
        torch.manual_seed(1);
        using var model = new BertQaModel(Modeling.BertQaModelTests.Tiny(ModelFamily.Bert));
        var loop = new TrainingLoop(model, new TrainingLoopOptions { LearningRate = 1e-4 }, "t");
        var process = Process.GetCurrentProcess();
        long tensorsAt100 = 0, tensorsAt1000 = 0, bytesAt100 = 0, bytesAt1000 = 0;
        loop.Run(SpanBatches(1), 1000, b => SpanLoss(model, b), _ => 8, afterStep: step =>
        {
            if (step != 100 && step != 1000) return;
            GC.Collect();
            GC.WaitForPendingFinalizers();
            process.Refresh();
            long live = DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
            if (step == 100) (tensorsAt100, bytesAt100) = (live, process.WorkingSet64);
            else (tensorsAt1000, bytesAt1000) = (live, process.WorkingSet64);
        });
        // Exact: no step leaves a tensor behind. Loose: the native heap does not creep either.
        Assert.Equal(tensorsAt100, tensorsAt1000);
        double growthMb = (bytesAt1000 - bytesAt100) / 1e6;
        Assert.True(growthMb < 64, $"working set grew by {growthMb:F1} MB between step 100 and step 1000");
    }

    sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
