using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DistillML.Torch;
using DistillML.Torch.Modeling;
using DistillML.Torch.QuestionAnswering;
using DistillML.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchBench;

/// <summary>
/// Examples/s of training (forward + backward + clipping + AdamW, through the product's TrainingLoop) and inference
/// (no_grad forward) on fixed-length random windows, for our model as it was, with each improvement, with all of them,
/// and for PyTorch's plain torch.nn model (pytorch_peer.py) in float32 and bfloat16 autocast, in one invocation.
/// </summary>
internal static class Throughput
{
    /// <summary>One configuration of our model: attention kernel, dropout kernel, precision.</summary>
    private sealed record Path(string Name, AttentionImplementation Attention, bool TorchDropout, Precision? Precision);

    private static readonly Path[] Paths =
    [
        new("old (eager, torch dropout, fp32)", AttentionImplementation.Eager, true, Precision.Float32),
        new("+ sdpa", AttentionImplementation.Sdpa, true, Precision.Float32),
        new("+ fast dropout", AttentionImplementation.Eager, false, Precision.Float32),
        new("+ bf16 mixed", AttentionImplementation.Eager, true, Precision.BFloat16Mixed),
        new("all, sdpa always", AttentionImplementation.Sdpa, false, Precision.BFloat16Mixed),
        new("all (auto kernel, fast dropout, bf16)", AttentionImplementation.Auto, false, Precision.BFloat16Mixed),
        new("all in fp32 (auto kernel, fast dropout)", AttentionImplementation.Auto, false, Precision.Float32),
        new("default (auto kernel, fast dropout, probe)", AttentionImplementation.Auto, false, null),
    ];

    public static int Run(Arguments arguments)
    {
        int seq = arguments.Int("--seq", 256), batch = arguments.Int("--batch", 32);
        double seconds = arguments.Double("--seconds", 8);
        int threads = TorchThreads.Configure(arguments.Text("--threads") is { } t ? int.Parse(t, CultureInfo.InvariantCulture) : null);
        var sizes = (arguments.Text("--sizes") ?? "2x128,4x256,6x384").Split(',').Select(s => s.Split('x')).Select(p => (Layers: int.Parse(p[0], CultureInfo.InvariantCulture), Hidden: int.Parse(p[1], CultureInfo.InvariantCulture))).ToList();
        bool pytorch = !arguments.Flag("--no-pytorch");
        Console.WriteLine($"CPU precision by default: {PrecisionDefaults.DescribeCpuChoice()}");
        Console.WriteLine($"TorchSharp {torch.__version__}, {threads} threads, seq {seq} (every token real), batch {batch}, ~{seconds:F0} s per measurement, random weights, dropout 0.1");
        var summary = new List<string>();

        foreach (var (layers, hidden) in sizes)
        {
            string size = $"L{layers}/H{hidden}";
            var config = new BertConfig { NumLayers = layers, HiddenSize = hidden, NumHeads = hidden / 64, IntermediateSize = 4 * hidden, MaxPositionEmbeddings = Math.Max(512, seq) };
            Console.WriteLine();
            Console.WriteLine($"{size} ({config.CountQaParameters():N0} parameters, {config.NumHeads} heads), load average {Load()}");
            Console.WriteLine($"  {"configuration",-34}{"train ex/s",12}{"infer ex/s",12}{"train new/old",15}{"infer new/old",15}");
            var results = new List<(string Name, double Train, double Infer)>();
            foreach (var path in Paths)
            {
                var (train, infer) = Measure(config, path, seq, batch, seconds);
                results.Add((path.Name, train, infer));
                Console.WriteLine($"  {path.Name,-34}{train,12:F1}{infer,12:F1}{train / results[0].Train,15:F2}{infer / results[0].Infer,15:F2}");
            }
            var peer = pytorch ? PyTorchPeer.Measure(layers, hidden, config.NumHeads, seq, batch, threads, seconds) : [];
            foreach (var (mode, train, infer) in peer)
                Console.WriteLine($"  {"pytorch " + mode,-34}{train,12:F1}{infer,12:F1}");

            var ours = results[^1];
            var old = results[0];
            if (peer.Count > 0)
            {
                double bestTrain = peer.Max(p => p.Train), bestInfer = peer.Max(p => p.Infer);
                Console.WriteLine($"  ours ({ours.Name}) / pytorch-best: train {ours.Train / bestTrain:F2}, infer {ours.Infer / bestInfer:F2}");
                summary.Add(Invariant($"ratio train {size} seq{seq} ours/pytorch-best={ours.Train / bestTrain:F2} new/old={ours.Train / old.Train:F2}"));
                summary.Add(Invariant($"ratio infer {size} seq{seq} ours/pytorch-best={ours.Infer / bestInfer:F2} new/old={ours.Infer / old.Infer:F2}"));
            }
        }
        Console.WriteLine();
        Console.WriteLine($"load average {Load()} at the end; ours = default (auto kernel: sdpa in training, eager in bf16 inference; fast dropout; the precision the probe picks); pytorch-best = the faster of its fp32 and bf16-autocast rows");
        foreach (var line in summary) Console.WriteLine(line);
        return 0;
    }

    private static (double Train, double Infer) Measure(BertConfig config, Path path, int seq, int batch, double seconds)
    {
        torch.manual_seed(1);
        using var model = new BertQaModel(config) { AttentionImplementation = path.Attention, Precision = PrecisionDefaults.Resolve(path.Precision, torch.CPU) };
        foreach (var dropout in model.modules().OfType<FastDropout>()) dropout.UseTorchKernel = path.TorchDropout;
        using var scope = NewDisposeScope();
        var ids = torch.randint(1000, 30000, [batch, seq], dtype: ScalarType.Int64);
        var mask = torch.ones(batch, seq, dtype: ScalarType.Int64);
        var labels = torch.randint(0, seq, [batch], dtype: ScalarType.Int64);

        model.eval();
        double infer = Rate(seconds / 2, () =>
        {
            using var step = NewDisposeScope();
            using var noGrad = no_grad();
            model.call(ids, mask, null).StartLogits.sum().item<float>();
        }) * batch;

        var loop = new TrainingLoop(model, new TrainingLoopOptions { LearningRate = 1e-5, ReportEvery = 1_000_000 }, "bench");
        Tensor Loss(int _)
        {
            var o = model.call(ids, mask, null);
            return SpanLoss.Compute(o.StartLogits, o.EndLogits, labels, labels);
        }
        loop.Run(Enumerable.Repeat(0, 2), 2, Loss, _ => batch); // warm-up
        var clock = Stopwatch.StartNew();
        loop.Run(Enumerable.Repeat(0, 2), 2, Loss, _ => batch);
        double perStep = clock.Elapsed.TotalSeconds / 2;
        int steps = Math.Max(3, (int)(seconds / perStep));
        clock.Restart();
        loop.Run(Enumerable.Repeat(0, steps), steps, Loss, _ => batch);
        return (steps * batch / clock.Elapsed.TotalSeconds, infer);
    }

    private static double Rate(double seconds, Action action)
    {
        action(); // warm-up
        var clock = Stopwatch.StartNew();
        int n = 0;
        while (clock.Elapsed.TotalSeconds < seconds || n < 3) { action(); n++; }
        return n / clock.Elapsed.TotalSeconds;
    }

    private static string Load() => TorchThreads.LoadAverage()?.ToString("F2", CultureInfo.InvariantCulture) ?? "?";

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Runs pytorch_peer.py with Debian's python3-torch (/usr/bin/python3), as TunerBench runs DEAP.</summary>
internal static class PyTorchPeer
{
    public static IReadOnlyList<(string Mode, double Train, double Infer)> Measure(int layers, int hidden, int heads, int seq, int batch, int threads, double seconds)
    {
        string script = System.IO.Path.Combine(AppContext.BaseDirectory, "pytorch_peer.py");
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new object[] { script, layers, hidden, heads, seq, batch, threads, (int)Math.Ceiling(seconds) })
            start.ArgumentList.Add(Convert.ToString(a, CultureInfo.InvariantCulture)!);
        // OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are inherited unchanged: they are set on these machines on purpose.
        try
        {
            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd(), error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                Console.WriteLine($"  pytorch peer failed (exit {process.ExitCode}): {error.Trim().Split('\n').LastOrDefault()} (apt-get install python3-torch libopenblas0-pthread)");
                return [];
            }
            var rows = new List<(string, double, double)>();
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using var json = JsonDocument.Parse(line);
                if (json.RootElement.TryGetProperty("mode", out var mode))
                    rows.Add((mode.GetString()!, json.RootElement.GetProperty("train").GetDouble(), json.RootElement.GetProperty("infer").GetDouble()));
                else if (!printedConfig)
                {
                    printedConfig = true;
                    Console.WriteLine($"  pytorch {json.RootElement.GetProperty("torch").GetString()}, {json.RootElement.GetProperty("threads").GetInt32()} threads, BLAS {Blas()}; " +
                        $"OPENBLAS_CORETYPE={Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") ?? "(unset)"} OPENBLAS_L2_SIZE={Environment.GetEnvironmentVariable("OPENBLAS_L2_SIZE") ?? "(unset)"} (left as set)");
                    Console.WriteLine($"  torch.__config__.show(): {json.RootElement.GetProperty("config").GetString()}");
                }
            }
            return rows;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Console.WriteLine($"  pytorch peer not run: {e.Message} (apt-get install python3-torch libopenblas0-pthread)");
            return [];
        }
    }

    private static bool printedConfig;

    // The libblas.so.3 that update-alternatives selected: python3-torch calls whatever it points to.
    private static string Blas()
    {
        try
        {
            var target = new FileInfo("/etc/alternatives/libblas.so.3-x86_64-linux-gnu").ResolveLinkTarget(returnFinalTarget: true);
            return target?.FullName ?? "unknown";
        }
        catch (IOException) { return "unknown"; }
    }
}
