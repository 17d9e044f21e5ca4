using System.Diagnostics;
using DistillML.Torch.Modeling;
using DistillML.Torch.Onnx;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace OnnxBench;

/// <summary>
/// Inference examples/s at full windows (every token real) for TorchSharp and ONNX Runtime fp32/int8 on the same
/// model in the same process, with the ratios, plus the exported file sizes.
/// </summary>
internal static class Throughput
{
    public static void Run(BenchArgs args, string vocab, string workDir)
    {
        Console.WriteLine($"== Inference throughput: seq {args.Seq}, batch {args.Batch}, ~{args.Seconds}s per measurement, torch threads {torch.get_num_threads()}, {Environment.ProcessorCount} cores");
        Console.WriteLine($"{"model",-10}{"params",12}{"fp32 MB",10}{"fp16 MB",10}{"int8 MB",10}{"torch ex/s",12}{"ort fp32",10}{"ort int8",10}{"fp32/torch",12}{"int8/torch",12}{"int8/fp32",11}");
        foreach (var (layers, hidden) in new[] { (2, 128), (4, 256), (6, 384) })
        {
            var config = new BertConfig { NumLayers = layers, HiddenSize = hidden, NumHeads = hidden / 64, IntermediateSize = 4 * hidden, MaxPositionEmbeddings = Math.Max(512, args.Seq) };
            torch.manual_seed(1);
            using var model = new BertQaModel(config) { VocabularyPath = vocab };
            model.eval();
            var sizes = new Dictionary<OnnxWeightFormat, OnnxExportResult>();
            foreach (var format in Enum.GetValues<OnnxWeightFormat>())
                sizes[format] = model.ExportOnnx(Path.Combine(workDir, $"L{layers}H{hidden}-{format}", "model.onnx"), new OnnxExportOptions { WeightFormat = format });

            var random = new Random(7);
            long[] ids = Enumerable.Range(0, args.Batch * args.Seq).Select(_ => (long)random.Next(1000, 30000)).ToArray();
            long[] ones = Enumerable.Repeat(1L, ids.Length).ToArray();
            long[] types = new long[ids.Length];

            double torchRate;
            using (var idsT = torch.tensor(ids, [args.Batch, args.Seq]))
            using (var maskT = torch.tensor(ones, [args.Batch, args.Seq]))
            using (var typesT = torch.tensor(types, [args.Batch, args.Seq]))
                torchRate = Rate(args.Seconds, () =>
                {
                    using var scope = NewDisposeScope();
                    using var noGrad = no_grad();
                    model.forward(idsT, maskT, typesT).StartLogits.sum().item<float>();
                }) * args.Batch;

            double fp32Rate = OrtRate(sizes[OnnxWeightFormat.Float32].Path, ids, ones, types, args) * args.Batch;
            double int8Rate = OrtRate(sizes[OnnxWeightFormat.Int8].Path, ids, ones, types, args) * args.Batch;
            static string Mb(OnnxExportResult r) => $"{r.FileBytes / 1e6:F1}";
            Console.WriteLine($"{$"L{layers}/H{hidden}",-10}{model.ParameterCount,12:N0}{Mb(sizes[OnnxWeightFormat.Float32]),10}{Mb(sizes[OnnxWeightFormat.Float16]),10}{Mb(sizes[OnnxWeightFormat.Int8]),10}" +
                $"{torchRate,12:F1}{fp32Rate,10:F1}{int8Rate,10:F1}{fp32Rate / torchRate,12:F2}{int8Rate / torchRate,12:F2}{int8Rate / fp32Rate,11:F2}");
        }
    }

    private static double OrtRate(string path, long[] ids, long[] mask, long[] types, BenchArgs args)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(path, options);
        long[] shape = [args.Batch, args.Seq];
        using var a = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var b = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var c = OrtValue.CreateTensorValueFromMemory(types, shape);
        using var run = new RunOptions();
        OrtValue[] inputs = [a, b, c];
        string[] names = ["input_ids", "attention_mask", "token_type_ids"], outputs = ["start_logits", "end_logits"];
        return Rate(args.Seconds, () => { using var result = session.Run(run, names, inputs, outputs); });
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
}
