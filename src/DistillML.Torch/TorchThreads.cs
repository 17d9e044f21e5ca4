using TorchSharp;

namespace DistillML.Torch;

/// <summary>
/// How many threads torch's CPU kernels use, and a check for the CPU contention that makes them slow. torch's OpenMP
/// threads spin while they wait for each other, so two trainings sharing two cores measured about 3x slower each
/// (not 2x); one training per machine at a time, or one thread per process, avoids it.
/// </summary>
public static class TorchThreads
{
    /// <summary>Physical cores (distinct core/package pairs in sysfs), or the logical processor count where sysfs is absent.</summary>
    public static int PhysicalCores { get; } = CountPhysicalCores();

    /// <summary>Sets torch's intra-op threads to <paramref name="threads"/>, or to <see cref="PhysicalCores"/> when null; returns the number set.</summary>
    public static int Configure(int? threads = null)
    {
        int n = threads ?? PhysicalCores;
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(threads), n, "must be >= 1");
        torch.set_num_threads(n);
        return n;
    }

    /// <summary>
    /// A warning when other processes already keep the CPU busy (sampled from /proc/stat over <paramref name="sample"/>,
    /// default 300 ms), so that <paramref name="threads"/> more threads would share cores; else null. Call it before
    /// starting heavy work. The load average is not used: it lags by a minute and still counts work that has ended.
    /// </summary>
    public static string? ContentionWarning(int threads, TimeSpan? sample = null)
    {
        double? busy = BusyCores(sample ?? TimeSpan.FromMilliseconds(300));
        if (busy is null || busy.Value < 0.5 || busy.Value + threads <= Environment.ProcessorCount + 0.25) return null;
        return $"other processes keep {busy.Value:F1} of {Environment.ProcessorCount} cores busy and torch will use {threads} thread(s): " +
               "OpenMP threads spin when they share cores, which measured about 3x slower per process. Run one training at a time, or give each process --threads 1.";
    }

    /// <summary>How many cores were busy (all processes) during <paramref name="sample"/>, from /proc/stat; null where it is not readable.</summary>
    public static double? BusyCores(TimeSpan sample)
    {
        var first = CpuTimes();
        if (first is null) return null;
        Thread.Sleep(sample);
        var second = CpuTimes();
        if (second is null) return null;
        double total = second.Value.Total - first.Value.Total, idle = second.Value.Idle - first.Value.Idle;
        return total <= 0 ? 0 : (total - idle) / total * Environment.ProcessorCount;
    }

    // The aggregate "cpu" line of /proc/stat: user nice system idle iowait irq softirq steal ...
    private static (double Total, double Idle)? CpuTimes()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => double.Parse(f, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            return fields.Length < 5 ? null : (fields.Take(8).Sum(), fields[3] + fields[4]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The 1-minute load average, or null where /proc/loadavg is not readable.</summary>
    public static double? LoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.TryParse(first, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private static int CountPhysicalCores()
    {
        try
        {
            var cores = new HashSet<string>();
            foreach (var cpu in Directory.EnumerateDirectories("/sys/devices/system/cpu", "cpu*"))
            {
                string core = Path.Combine(cpu, "topology", "core_id"), package = Path.Combine(cpu, "topology", "physical_package_id");
                if (File.Exists(core) && File.Exists(package))
                    cores.Add(File.ReadAllText(package).Trim() + ":" + File.ReadAllText(core).Trim());
            }
            return cores.Count > 0 ? Math.Min(cores.Count, Environment.ProcessorCount) : Environment.ProcessorCount;
        }
        catch (IOException) { return Environment.ProcessorCount; }
        catch (UnauthorizedAccessException) { return Environment.ProcessorCount; }
    }
}
