namespace DistillML.Cli;

/// <summary>A token that Ctrl-C cancels, so long work stops cleanly after its current step.</summary>
internal sealed class CancelOnCtrlC : IDisposable
{
    private readonly CancellationTokenSource source = new();

    public CancelOnCtrlC() => Console.CancelKeyPress += OnCancel;

    public CancellationToken Token => source.Token;

    private void OnCancel(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true; // keep the process alive to finish the step and clean up
        source.Cancel();
        Console.Error.WriteLine("Stopping after the current step...");
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancel;
        source.Dispose();
    }
}
