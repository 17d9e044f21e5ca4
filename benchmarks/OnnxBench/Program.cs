// ONNX Runtime vs TorchSharp inference for exported students, and the size/accuracy cost of fp16 and int8 weights.
//   dotnet run -c Release --project benchmarks/OnnxBench -- [--sizes 2x128,4x256,6x384] [--seq 256] [--batch 32] [--seconds 6]
//       [--checkpoint DIR | --finetune-steps 400] [--dev-questions 400] [--skip-throughput] [--skip-accuracy]
//   dotnet run -c Release --project benchmarks/OnnxBench -- --profile [--profile-runs 5] [--profile-keep DIR] [--seq 256] [--batch 32]
// Profile: ORT kernel time per op kind (its own profiler) of the portable and fused graphs, fp32 and int8.
// Inference: L2/H128, L4/H256, L6/H384 at full windows: TorchSharp fp32/bf16, ORT portable and fused graphs in fp32 and
// int8; batch-1 latency (p50/p99) and large-batch throughput, with ratios to ORT portable fp32, from the same process.
// Accuracy: EM/F1 on dev-v1.1 of one trained model (a checkpoint, e.g. /work/runs/teacher/model, or a student
// fine-tuned here), run by TorchSharp and by ONNX Runtime with fp32, fp16 and int8 weights.
using OnnxBench;

var bench = BenchArgs.Parse(args);
string assets = FindAssets();
string vocab = Path.Combine(assets, "bert-base-uncased-vocab.txt");
string work = Path.Combine(Path.GetTempPath(), $"onnxbench-{Guid.NewGuid():N}");
try
{
    if (bench.OpProfile) OpProfile.Run(bench, vocab, work);
    else if (!bench.SkipThroughput) Throughput.Run(bench, vocab, work);
    if (!bench.OpProfile && !bench.SkipAccuracy) Accuracy.Run(bench, vocab, Path.Combine(assets, "squad"), work);
}
finally
{
    if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
}

static string FindAssets()
{
    if (Environment.GetEnvironmentVariable("DISTILLML_ASSETS") is { Length: > 0 } env) return env;
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        foreach (var candidate in new[] { Path.Combine(dir.FullName, "..", "shared", "assets"), Path.Combine(dir.FullName, "shared", "assets") })
            if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
    throw new DirectoryNotFoundException("shared/assets not found; set DISTILLML_ASSETS.");
}
