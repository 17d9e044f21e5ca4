// Training and inference throughput of BertQaModel at three sizes, next to the rate a plain TorchSharp matmul
// of the same total size reaches in the same process. The ratio (model FLOP/s / matmul FLOP/s) is the figure to
// watch: it says how much of the machine's dense-matmul speed the model keeps, independent of the machine.
// Usage: dotnet run -c Release --project benchmarks/TorchBench -- [--seq 384] [--batch 16] [--seconds 20]
using System.Diagnostics;
using DistillML.Torch.Modeling;
using DistillML.Torch.QuestionAnswering;
using DistillML.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;

int seq = Arg("--seq", 384), batch = Arg("--batch", 16), seconds = Arg("--seconds", 20);
var device = DistillML.Torch.TorchDevice.Resolve(Environment.GetEnvironmentVariable("DISTILLML_DEVICE"));
Console.WriteLine($"device {device}, threads {torch.get_num_threads()}, seq {seq}, batch {batch}, ~{seconds}s per measurement");
Console.WriteLine($"{"model",-14}{"params",12}{"GFLOP/ex fwd",14}{"train ex/s",12}{"infer ex/s",12}{"train GF/s",12}{"infer GF/s",12}{"matmul GF/s",13}{"train ratio",13}{"infer ratio",13}");

foreach (var (layers, hidden) in new[] { (2, 128), (4, 256), (6, 384) })
{
    var config = new BertConfig { NumLayers = layers, HiddenSize = hidden, NumHeads = hidden / 64, IntermediateSize = 4 * hidden, MaxPositionEmbeddings = Math.Max(512, seq) };
    torch.manual_seed(1);
    using var model = new BertQaModel(config, device);
    var ids = torch.randint(1000, 30000, [batch, seq], dtype: ScalarType.Int64, device: device);
    var mask = torch.ones(batch, seq, dtype: ScalarType.Int64, device: device);
    var labels = torch.randint(0, seq, [batch], dtype: ScalarType.Int64, device: device);

    double forwardFlops = ForwardFlopsPerExample(config, seq);
    double matmul = MatmulGflops(batch * seq, hidden, seconds / 4.0, device);

    // Inference: no_grad forward passes.
    model.eval();
    double inferRate = Rate(seconds / 2.0, () => { using var s = NewDisposeScope(); using var g = no_grad(); model.forward(ids, mask, null).StartLogits.sum().item<float>(); }) * batch;

    // Training: forward + backward + AdamW through the product's TrainingLoop (about 3x the forward FLOPs).
    var loop = new TrainingLoop(model, new TrainingLoopOptions { LearningRate = 1e-5, ReportEvery = 1_000_000 }, "bench");
    int warm = 2;
    loop.Run(Enumerable.Repeat(0, warm), warm, _ => Loss(), _ => batch);
    int steps = Math.Max(3, (int)(seconds / 2.0 * inferRate / batch / 3));
    var clock = Stopwatch.StartNew();
    loop.Run(Enumerable.Repeat(0, steps), steps, _ => Loss(), _ => batch);
    double trainRate = steps * batch / clock.Elapsed.TotalSeconds;

    double trainGf = trainRate * 3 * forwardFlops / 1e9, inferGf = inferRate * forwardFlops / 1e9;
    Console.WriteLine($"{$"L{layers}/H{hidden}",-14}{model.ParameterCount,12:N0}{forwardFlops / 1e9,14:F2}{trainRate,12:F1}{inferRate,12:F1}{trainGf,12:F1}{inferGf,12:F1}{matmul,13:F1}{trainGf / matmul,13:F2}{inferGf / matmul,13:F2}");

    Tensor Loss()
    {
        var o = model.forward(ids, mask, null);
        return SpanLoss.Compute(o.StartLogits, o.EndLogits, labels, labels);
    }
}

// Multiply-adds of one example's forward pass, counted as 2 FLOPs each: the four attention projections, the two
// feed-forward projections, the two attention products (QK^T and PV) per layer, and the QA head.
static double ForwardFlopsPerExample(BertConfig c, int seq)
{
    double h = c.HiddenSize, f = c.IntermediateSize;
    double perLayer = seq * (4 * h * h + 2 * h * f) + 2 * (double)seq * seq * h;
    return 2 * (c.NumLayers * perLayer + seq * h * 2);
}

// GFLOP/s of [rows x h] @ [h x 4h], the model's largest matmul shape.
static double MatmulGflops(int rows, int h, double seconds, Device device)
{
    var a = torch.randn(rows, h, device: device);
    var b = torch.randn(h, 4 * h, device: device);
    double rate = Rate(seconds, () => { using var s = NewDisposeScope(); a.matmul(b).sum().item<float>(); });
    return rate * 2.0 * rows * h * 4 * h / 1e9;
}

static double Rate(double seconds, Action action)
{
    action(); // warm-up
    var clock = Stopwatch.StartNew();
    int n = 0;
    while (clock.Elapsed.TotalSeconds < seconds || n < 3) { action(); n++; }
    return n / clock.Elapsed.TotalSeconds;
}

int Arg(string name, int fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
}
