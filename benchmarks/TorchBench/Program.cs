// TorchBench: training and inference speed of BertQaModel against its own old path and against PyTorch on the same CPU.
//   dotnet run -c Release --project benchmarks/TorchBench -- [--seq 256] [--batch 32] [--seconds 8] [--sizes 2x128,4x256,6x384] [--no-pytorch]
//   dotnet run -c Release --project benchmarks/TorchBench -- --padding ../shared/assets/squad     (padding of random vs length-grouped batches)
//   dotnet run -c Release --project benchmarks/TorchBench -- --accuracy CHECKPOINT --data-dir ../shared/assets/squad [--steps 300]
using System.Globalization;
using TorchBench;

var arguments = new Arguments(args);
Console.WriteLine($"load average {DistillML.Torch.TorchThreads.LoadAverage()?.ToString("F2", CultureInfo.InvariantCulture) ?? "?"} at start, " +
    $"{Environment.ProcessorCount} logical CPUs, {DistillML.Torch.TorchThreads.PhysicalCores} physical cores");
if (arguments.Text("--padding") is { } squadDir) return Padding.Run(squadDir);
if (arguments.Text("--accuracy") is { } checkpoint) return AccuracyCheck.Run(checkpoint, arguments);
return Throughput.Run(arguments);

namespace TorchBench
{
    /// <summary>--name value pairs, parsed with the invariant culture.</summary>
    internal sealed class Arguments(string[] args)
    {
        public string? Text(string name)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        public int Int(string name, int fallback) => Text(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        public double Double(string name, double fallback) => Text(name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
        public bool Flag(string name) => Array.IndexOf(args, name) >= 0;
    }
}
