namespace DistillML.Tuning.Storage.Workers;

/// <summary>A trial a <see cref="TrialWorker"/> has claimed and is training; its heartbeat is kept fresh meanwhile.</summary>
public sealed class RunningTrial
{
    internal RunningTrial(ITrialStore store, TrialRecord record, string workerId)
    {
        Store = store;
        Record = record;
        WorkerId = workerId;
    }

    /// <summary>The store.</summary>
    public ITrialStore Store { get; }

    /// <summary>The trial as claimed (number, parameter).</summary>
    public TrialRecord Record { get; }

    /// <summary>The worker.</summary>
    public string WorkerId { get; }

    /// <summary>Records an intermediate value (for pruning and reports).</summary>
    public Task ReportAsync(int step, double value, CancellationToken cancellationToken = default) =>
        Store.ReportIntermediateValueAsync(Record.StudyName, Record.Number, step, value, cancellationToken);

    /// <summary>Records an artifact's path.</summary>
    public Task SetArtifactAsync(string name, string path, CancellationToken cancellationToken = default) =>
        Store.SetArtifactAsync(Record.StudyName, Record.Number, name, path, cancellationToken);
}
