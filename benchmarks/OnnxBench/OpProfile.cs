using System.Globalization;
using System.Text.Json;
using DistillML.Torch.Modeling;
using DistillML.Torch.OnnxExport;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;

namespace OnnxBench;

/// <summary>
/// Where ONNX Runtime's time goes, per operator kind, for the portable and the fused graph (fp32 and int8) at the
/// throughput batch: ORT's own profiler (SessionOptions.EnableProfiling) records each kernel's duration; the table
/// sums them by op type over a few profiled batches after warm-up. This is what bounds the fused graph's gain.
/// </summary>
internal static class OpProfile
{
    public static void Run(BenchArgs args, string vocab, string workDir)
    {
        DistillML.Torch.TorchThreads.Configure();
        int threads = torch.get_num_threads();
        Console.WriteLine($"== ORT kernel time per op kind: seq {args.Seq}, batch {args.Batch}, {args.ProfileRuns} profiled runs after 2 warm-up runs, " +
            $"{threads} intra-op threads, load average {DistillML.Torch.TorchThreads.LoadAverage()?.ToString("F2", CultureInfo.InvariantCulture) ?? "n/a"}");
        foreach (var (layers, hidden) in args.Sizes)
        {
            var config = new BertConfig { NumLayers = layers, HiddenSize = hidden, NumHeads = hidden / 64, IntermediateSize = 4 * hidden, MaxPositionEmbeddings = Math.Max(512, args.Seq) };
            torch.manual_seed(1);
            using var model = new BertQaModel(config) { VocabularyPath = vocab };
            model.eval();
            var columns = new List<(string Name, Dictionary<string, double> Ms)>();
            foreach (var (format, fused) in new[] { (OnnxWeightFormat.Float32, false), (OnnxWeightFormat.Float32, true), (OnnxWeightFormat.Int8, false), (OnnxWeightFormat.Int8, true) })
            {
                string name = $"{(fused ? "fused" : "portable")} {(format == OnnxWeightFormat.Int8 ? "int8" : "fp32")}";
                string path = model.ExportOnnx(Path.Combine(workDir, $"profile-L{layers}H{hidden}-{format}-{fused}", "model.onnx"),
                    new OnnxExportOptions { WeightFormat = format, OrtFusedOperators = fused }).Path;
                columns.Add((name, Profile(path, args, threads, Path.Combine(workDir, $"profile-L{layers}H{hidden}-{format}-{fused}"))));
            }

            Console.WriteLine();
            Console.WriteLine($"L{layers}/H{hidden}: ms per batch of {args.Batch} by op kind (share of the graph's kernel time)");
            Console.WriteLine($"| op kind | {string.Join(" | ", columns.Select(c => c.Name))} |");
            Console.WriteLine($"|---|{string.Concat(columns.Select(_ => "---:|"))}");
            var kinds = columns.SelectMany(c => c.Ms).GroupBy(kv => kv.Key).OrderByDescending(g => g.Max(kv => kv.Value)).Select(g => g.Key);
            foreach (var kind in kinds)
            {
                var cells = columns.Select(c => c.Ms.TryGetValue(kind, out double ms) ? $"{ms:F1} ({100 * ms / c.Ms.Values.Sum():F0}%)" : "");
                Console.WriteLine($"| {kind} | {string.Join(" | ", cells)} |");
            }
            Console.WriteLine($"| total | {string.Join(" | ", columns.Select(c => $"{c.Ms.Values.Sum():F1}"))} |");
        }
    }

    /// <summary>Kernel milliseconds per run, summed by op type, from ORT's profile of <see cref="BenchArgs.ProfileRuns"/> runs.</summary>
    private static Dictionary<string, double> Profile(string modelPath, BenchArgs args, int threads, string directory)
    {
        var random = new Random(7);
        long[] ids = Enumerable.Range(0, args.Batch * args.Seq).Select(_ => (long)random.Next(1000, 30000)).ToArray();
        long[] mask = Enumerable.Repeat(1L, ids.Length).ToArray(), types = new long[ids.Length];
        long[] shape = [args.Batch, args.Seq];

        void RunOnce(InferenceSession session)
        {
            using var a = OrtValue.CreateTensorValueFromMemory(ids, shape);
            using var b = OrtValue.CreateTensorValueFromMemory(mask, shape);
            using var c = OrtValue.CreateTensorValueFromMemory(types, shape);
            using var run = new RunOptions();
            using var result = session.Run(run, ["input_ids", "attention_mask", "token_type_ids"], [a, b, c], ["start_logits", "end_logits"]);
        }

        // Warm-up in a session without profiling, so the profile holds steady-state runs only.
        using (var plainOptions = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = threads })
        using (var warm = new InferenceSession(modelPath, plainOptions)) { RunOnce(warm); }

        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = threads,
            // The prefix first: ORT's EnableProfiling setter starts the profiler with the prefix set at that moment
            // (with the default one, the trace files landed in the working directory).
            ProfileOutputPathPrefix = Path.Combine(directory, "ort-profile"), EnableProfiling = true,
        };
        string file;
        using (var session = new InferenceSession(modelPath, options))
        {
            RunOnce(session);
            RunOnce(session);
            for (int i = 0; i < args.ProfileRuns; i++) RunOnce(session);
            file = session.EndProfiling();
        }

        if (args.ProfileKeep is { } keep) // ORT's trace format: chrome://tracing or Perfetto opens it
        {
            Directory.CreateDirectory(keep);
            File.Copy(file, Path.Combine(keep, Path.GetFileName(directory) + ".json"), overwrite: true);
        }

        // The first two runs of the profiled session are warm-up too: skip the kernels of the first 2 of the 2 + N runs.
        var byKind = new Dictionary<string, double>();
        using var json = JsonDocument.Parse(File.ReadAllText(file));
        var runs = json.RootElement.EnumerateArray().Where(e => e.GetProperty("cat").GetString() == "Session" && e.GetProperty("name").GetString() == "model_run")
            .Select(e => (Start: e.GetProperty("ts").GetInt64(), End: e.GetProperty("ts").GetInt64() + e.GetProperty("dur").GetInt64())).OrderBy(r => r.Start).ToList();
        long from = runs.Count > 2 ? runs[2].Start : 0;
        foreach (var e in json.RootElement.EnumerateArray())
        {
            if (e.GetProperty("cat").GetString() != "Node" || !(e.GetProperty("name").GetString() ?? "").EndsWith("_kernel_time", StringComparison.Ordinal)) continue;
            if (e.GetProperty("ts").GetInt64() < from) continue;
            string kind = e.GetProperty("args").GetProperty("op_name").GetString() ?? "?";
            byKind[kind] = byKind.GetValueOrDefault(kind) + e.GetProperty("dur").GetInt64() / 1000.0 / args.ProfileRuns;
        }
        return byKind;
    }
}
