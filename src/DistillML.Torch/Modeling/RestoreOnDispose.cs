namespace DistillML.Torch.Modeling;

/// <summary>A scope that runs its restore action once, on the first <see cref="Dispose"/>.</summary>
internal sealed class RestoreOnDispose(Action restore) : IDisposable
{
    private Action? restore = restore;

    /// <inheritdoc />
    public void Dispose() => Interlocked.Exchange(ref restore, null)?.Invoke();
}
