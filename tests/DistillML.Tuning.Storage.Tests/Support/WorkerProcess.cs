using System.Collections.Concurrent;
using System.Diagnostics;

namespace DistillML.Tuning.Storage.Tests.Support;

/// <summary>A StoreWorker process (tests/StoreWorker) with its output captured line by line.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly SemaphoreSlim _lineArrived = new(0);

    private WorkerProcess(Process process, string name)
    {
        _process = process;
        Name = name;
        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) => Add(e.Data is null ? null : "stderr: " + e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public IReadOnlyList<string> Lines => _lines.ToList();

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The trial numbers this worker printed "claimed N" for.</summary>
    public IReadOnlyList<int> Claimed => Lines.Where(l => l.StartsWith("claimed ", StringComparison.Ordinal)).Select(l => int.Parse(l[8..])).ToList();

    public static WorkerProcess Start(string name, params string[] args)
    {
        var worker = Path.Combine(AppContext.BaseDirectory, "StoreWorker.dll");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var info = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(worker);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.ArgumentList.Add("--worker");
        info.ArgumentList.Add(name);
        info.Environment["DOTNET_TieredPGO"] = "0";
        return new WorkerProcess(Process.Start(info) ?? throw new InvalidOperationException("Could not start StoreWorker."), name);
    }

    /// <summary>Waits until a line satisfies <paramref name="predicate"/>; returns it.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (Lines.FirstOrDefault(predicate) is { } line)
            {
                return line;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || _process.HasExited && !await _lineArrived.WaitAsync(100))
            {
                throw new TimeoutException($"Worker {Name} printed no matching line. Output:\n{string.Join('\n', Lines)}");
            }

            await _lineArrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>kill -9.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"Worker {Name} did not finish in {timeout}. Output:\n{string.Join('\n', Lines)}");
        }

        _process.WaitForExit(); // drains the output
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
        _lineArrived.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
            _lineArrived.Release();
        }
    }
}
