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
    /// A warning when other processes already keep the CPU busy (the 1-minute load average, read from /proc/loadavg,
    /// leaves less than <paramref name="threads"/> cores idle), else null. Call it before starting heavy work.
    /// </summary>
    public static string? ContentionWarning(int threads)
    {
        double? load = LoadAverage();
        if (load is null || load.Value + threads <= Environment.ProcessorCount + 0.5) return null;
        return $"the CPU is already busy (load average {load.Value:F2} on {Environment.ProcessorCount} cores) and torch will use {threads} thread(s): " +
               "OpenMP threads spin when they share cores, which measured about 3x slower per process. Run one training at a time, or give each process --threads 1.";
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
