using System.Runtime.InteropServices;

namespace DistillML.Cli;

/// <summary>
/// A token that Ctrl-C (SIGINT) or SIGTERM cancels, so long work stops cleanly after its current step: a sweep gives
/// its running trial back to the store instead of leaving it to be reaped. SIGTERM counts because background jobs
/// ignore SIGINT and schedulers, containers and <c>kill</c> send SIGTERM.
/// </summary>
internal sealed class CancelOnCtrlC : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly PosixSignalRegistration? terminate;

    public CancelOnCtrlC()
    {
        Console.CancelKeyPress += OnCancel;
        if (!OperatingSystem.IsWindows()) terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnTerminate);
    }

    public CancellationToken Token => source.Token;

    private void OnCancel(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true; // keep the process alive to finish the step and clean up
        Stop();
    }

    private void OnTerminate(PosixSignalContext context)
    {
        context.Cancel = true; // the default would end the process now, mid-step
        Stop();
    }

    private void Stop()
    {
        if (source.IsCancellationRequested) return;
        source.Cancel();
        Console.Error.WriteLine("Stopping after the current step...");
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancel;
        terminate?.Dispose();
        source.Dispose();
    }
}
