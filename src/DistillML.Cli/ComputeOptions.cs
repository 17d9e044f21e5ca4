using System.CommandLine;
using DistillML.Torch;
using DistillML.Torch.Modeling;
using Spectre.Console;

namespace DistillML.Cli;

/// <summary>The options every command shares for how torch computes: threads and precision, applied once before any command runs.</summary>
internal static class ComputeOptions
{
    public static readonly Option<int?> Threads = new("--threads")
    {
        Description = "torch CPU threads (default: the physical cores). Give each process 1 when several share the machine.",
        Recursive = true,
    };

    public static readonly Option<string> Precision = new("--precision")
    {
        Description = "Arithmetic of training and inference: auto (bf16 on CPUs whose bfloat16 matmuls measure faster than fp32 at startup, else fp32), fp32 or bf16 (bfloat16 mixed precision).",
        DefaultValueFactory = _ => "auto",
        Recursive = true,
    };

    static ComputeOptions() => Precision.AcceptOnlyFromAmong("auto", "fp32", "bf16");

    // Commands that keep the cores busy for minutes: they check for contention before starting.
    private static readonly HashSet<string> Heavy = ["teacher", "distill", "sweep", "worker", "evaluate", "quantize"];

    /// <summary>Sets torch's threads and the preferred precision from <paramref name="parse"/>, and warns when the CPU is already busy before heavy commands.</summary>
    public static void Apply(ParseResult parse, IAnsiConsole console, string command)
    {
        PrecisionDefaults.Preferred = parse.GetValue(Precision) switch
        {
            "fp32" => Torch.Modeling.Precision.Float32,
            "bf16" => Torch.Modeling.Precision.BFloat16Mixed,
            _ => null,
        };
        int threads = TorchThreads.Configure(parse.GetValue(Threads));
        if (!Heavy.Contains(command)) return;
        if (TorchThreads.ContentionWarning(threads) is { } warning) console.MarkupLineInterpolated($"[yellow]warning: {warning}[/]");
        if (PrecisionDefaults.Preferred is null) console.MarkupLineInterpolated($"[grey]CPU precision {PrecisionDefaults.DescribeCpuChoice()} (--precision fp32|bf16 to choose)[/]");
    }
}
