using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DistillML.Onnx.Tests.Service;

/// <summary>Runs examples/OnnxQaService as a child process on a free loopback port, serving an exported model.</summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();

    public ServiceProcess(string modelPath, params string[] extraArgs)
    {
        Port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(ServiceDll());
        foreach (var a in (string[])["--urls", BaseAddress.ToString().TrimEnd('/'), "--model", modelPath, .. extraArgs]) info.ArgumentList.Add(a);
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        WaitUntilHealthy();
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public bool HasExited => process.HasExited;

    public string Log { get { lock (log) return log.ToString(); } }

    private void WaitUntilHealthy()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"OnnxQaService exited with {process.ExitCode}:\n{Log}");
            try
            {
                if (Client.GetAsync("/health").Result.IsSuccessStatusCode) return;
            }
            catch (AggregateException) { }
            Thread.Sleep(200);
        }
        throw new TimeoutException($"OnnxQaService did not become healthy within 60 s:\n{Log}");
    }

    /// <summary>The service's build output: examples/OnnxQaService/bin/{same configuration}/net10.0/OnnxQaService.dll.</summary>
    private static string ServiceDll()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        string framework = dir.Name, configuration = dir.Parent!.Name;
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DistillML.sln"))) dir = dir.Parent;
        if (dir is null) throw new DirectoryNotFoundException("DistillML.sln not found above " + AppContext.BaseDirectory);
        string dll = Path.Combine(dir.FullName, "examples", "OnnxQaService", "bin", configuration, framework, "OnnxQaService.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build examples/OnnxQaService first: {dll} is missing.", dll);
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Dispose()
    {
        Client.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        process.Dispose();
    }
}
