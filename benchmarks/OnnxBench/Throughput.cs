using System.Diagnostics;
using DistillML.Torch.Modeling;
using DistillML.Torch.OnnxExport;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace OnnxBench;

/// <summary>
/// Inference of one model by TorchSharp (fp32, bf16 mixed) and by ONNX Runtime (portable and fused graphs, fp32 and
/// int8), in the same process on the same inputs (full windows: every token real): latency at batch 1 (p50, p99) and
/// throughput at the large batch, each with its ratio to ORT's portable fp32 graph, plus the file sizes.
/// </summary>
internal static class Throughput
{
    private sealed record Runner(string Name, Action<long[], long[], long[], int> Step, long FileBytes);

    public static void Run(BenchArgs args, string vocab, string workDir)
    {
        DistillML.Torch.TorchThreads.Configure();
        Console.WriteLine($"== Inference: seq {args.Seq}, batch 1 (latency) and batch {args.Batch} (throughput), ~{args.Seconds}s per measurement, " +
            $"torch threads {torch.get_num_threads()}, ORT intra-op threads {OrtThreads}, {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        var summary = new List<string>();
        foreach (var (layers, hidden) in args.Sizes)
        {
            var config = new BertConfig { NumLayers = layers, HiddenSize = hidden, NumHeads = hidden / 64, IntermediateSize = 4 * hidden, MaxPositionEmbeddings = Math.Max(512, args.Seq) };
            torch.manual_seed(1);
            using var model = new BertQaModel(config) { VocabularyPath = vocab };
            model.eval();
            string Export(OnnxWeightFormat format, bool fused) =>
                model.ExportOnnx(Path.Combine(workDir, $"L{layers}H{hidden}-{format}-{(fused ? "fused" : "portable")}", "model.onnx"),
                    new OnnxExportOptions { WeightFormat = format, OrtFusedOperators = fused }).Path;

            var sessions = new List<InferenceSession>();
            try
            {
                Runner Ort(string name, OnnxWeightFormat format, bool fused)
                {
                    string path = Export(format, fused);
                    var session = OpenSession(path);
                    sessions.Add(session);
                    return new Runner(name, (ids, mask, types, batch) => RunOrt(session, ids, mask, types, batch), new FileInfo(path).Length);
                }
                Runner Torch(string name, Precision precision) => new(name, (ids, mask, types, batch) =>
                {
                    using var scope = NewDisposeScope();
                    using var noGrad = no_grad();
                    using var mode = model.UsePrecision(precision);
                    using var idsT = torch.tensor(ids, [batch, args.Seq]);
                    using var maskT = torch.tensor(mask, [batch, args.Seq]);
                    using var typesT = torch.tensor(types, [batch, args.Seq]);
                    model.call(idsT, maskT, typesT).StartLogits.sum().item<float>();
                }, 0);

                var runners = new List<Runner>
                {
                    Torch("TorchSharp fp32", Precision.Float32),
                    Torch("TorchSharp bf16", Precision.BFloat16Mixed),
                    Ort("ORT portable fp32", OnnxWeightFormat.Float32, fused: false),
                    Ort("ORT fused fp32", OnnxWeightFormat.Float32, fused: true),
                    Ort("ORT portable int8", OnnxWeightFormat.Int8, fused: false),
                    Ort("ORT fused int8", OnnxWeightFormat.Int8, fused: true),
                };

                var random = new Random(7);
                long[] Ids(int batch) => Enumerable.Range(0, batch * args.Seq).Select(_ => (long)random.Next(1000, 30000)).ToArray();
                long[] ids1 = Ids(1), idsN = Ids(args.Batch);
                long[] ones1 = Enumerable.Repeat(1L, args.Seq).ToArray(), onesN = Enumerable.Repeat(1L, args.Seq * args.Batch).ToArray();
                long[] types1 = new long[args.Seq], typesN = new long[args.Seq * args.Batch];

                Console.WriteLine();
                Console.WriteLine($"L{layers}/H{hidden} ({model.ParameterCount:N0} parameters), load average {LoadAverage()}");
                Console.WriteLine($"| runtime | MB | batch 1 p50 ms | p99 ms | p50 vs ORT portable fp32 | batch {args.Batch} ex/s | vs ORT portable fp32 |");
                Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
                var results = runners.Select(r =>
                {
                    var latencies = Latencies(args.Seconds, () => r.Step(ids1, ones1, types1, 1));
                    double rate = Rate(args.Seconds, () => r.Step(idsN, onesN, typesN, args.Batch)) * args.Batch;
                    return (Runner: r, P50: Percentile(latencies, 0.5), P99: Percentile(latencies, 0.99), Rate: rate);
                }).ToList();
                var baseline = results.Single(x => x.Runner.Name == "ORT portable fp32");
                foreach (var x in results)
                    Console.WriteLine($"| {x.Runner.Name} | {(x.Runner.FileBytes > 0 ? $"{x.Runner.FileBytes / 1e6:F1}" : "")} | {x.P50:F2} | {x.P99:F2} | {baseline.P50 / x.P50:F2}x | {x.Rate:F1} | {x.Rate / baseline.Rate:F2}x |");
                var fused = results.Single(x => x.Runner.Name == "ORT fused fp32");
                var fusedInt8 = results.Single(x => x.Runner.Name == "ORT fused int8");
                var portableInt8 = results.Single(x => x.Runner.Name == "ORT portable int8");
                summary.Add($"ratio ort L{layers}/H{hidden} seq{args.Seq} fused-fp32/portable-fp32 batch{args.Batch}={fused.Rate / baseline.Rate:F2} batch1-p50={baseline.P50 / fused.P50:F2} " +
                    $"fused-int8/portable-int8 batch{args.Batch}={fusedInt8.Rate / portableInt8.Rate:F2} batch1-p50={portableInt8.P50 / fusedInt8.P50:F2}");
            }
            finally
            {
                foreach (var s in sessions) s.Dispose();
            }
        }
        Console.WriteLine();
        foreach (var line in summary) Console.WriteLine(line);
    }

    // ONNX Runtime on the machine's physical cores, as TorchThreads does for torch (2 here), so both use the same cores.
    private static int OrtThreads => torch.get_num_threads();

    private static InferenceSession OpenSession(string path)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = OrtThreads };
        return new InferenceSession(path, options);
    }

    private static void RunOrt(InferenceSession session, long[] ids, long[] mask, long[] types, int batch)
    {
        long[] shape = [batch, ids.Length / batch];
        using var a = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var b = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var c = OrtValue.CreateTensorValueFromMemory(types, shape);
        using var run = new RunOptions();
        using var result = session.Run(run, ["input_ids", "attention_mask", "token_type_ids"], [a, b, c], ["start_logits", "end_logits"]);
    }

    /// <summary>Milliseconds of each call of <paramref name="step"/> over about <paramref name="seconds"/> (at least 20 calls), after two warm-up calls.</summary>
    private static List<double> Latencies(double seconds, Action step)
    {
        step();
        step();
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds || times.Count < 20)
        {
            long start = Stopwatch.GetTimestamp();
            step();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return times;
    }

    private static double Percentile(List<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
    }

    /// <summary>Calls per second of <paramref name="step"/> over about <paramref name="seconds"/>, after two warm-up calls.</summary>
    private static double Rate(double seconds, Action step)
    {
        step();
        step();
        int calls = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds || calls < 3) { step(); calls++; }
        return calls / clock.Elapsed.TotalSeconds;
    }

    private static string LoadAverage() => DistillML.Torch.TorchThreads.LoadAverage()?.ToString("F2", System.Globalization.CultureInfo.InvariantCulture) ?? "n/a";
}
