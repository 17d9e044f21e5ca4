namespace DistillML.Torch.Modeling;

/// <summary>
/// A model setting with a shared value and scoped overrides that only the calling flow sees (the thread, or the async
/// flow, that opened the scope: <see cref="AsyncLocal{T}"/>). One teacher serves several fits at once in a process (a
/// sweep's parallel trials, the tests' concurrent fits); each fit sets the teacher's precision for its own forward
/// passes through a scope, so one fit's bfloat16 cannot leak into another's float32 pass mid-forward.
/// </summary>
internal sealed class FlowScopedSetting<T>(T initial) where T : struct
{
    private readonly AsyncLocal<T?> scoped = new();

    /// <summary>The value every flow sees outside a scope.</summary>
    public T Shared { get; set; } = initial;

    /// <summary>The innermost scope's value on this flow, else <see cref="Shared"/>.</summary>
    public T Value => scoped.Value ?? Shared;

    /// <summary>Makes <see cref="Value"/> <paramref name="value"/> on this flow until the returned scope is disposed.</summary>
    public IDisposable Use(T value)
    {
        var previous = scoped.Value;
        scoped.Value = value;
        return new RestoreOnDispose(() => scoped.Value = previous);
    }
}
