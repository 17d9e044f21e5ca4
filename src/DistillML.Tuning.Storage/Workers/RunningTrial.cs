using DistillML.Tuning.Pruners;

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

    /// <summary>
    /// The study as the store holds it now, for a pruning decision: this trial (with the values it has reported) and the
    /// study's other live trials (retried attempts left out).
    /// </summary>
    public async Task<(PruningSnapshot Study, PrunedTrialView Trial)> PruningSnapshotAsync(CancellationToken cancellationToken = default)
    {
        var trials = await Store.GetTrialsAsync(Record.StudyName, cancellationToken).ConfigureAwait(false);
        static PrunedTrialView View(TrialRecord t) => new(t.Number, t.CountsAsResult, t.Parameter, t.IntermediateValues.OrderBy(v => v.Key).ToList());
        var self = trials.FirstOrDefault(t => t.Number == Record.Number)
            ?? throw new TrialStoreException($"Trial {Record.Number} of study '{Record.StudyName}' is no longer in the store.");
        var others = trials.Where(t => t.Number != Record.Number && t.RetriedAs is null).Select(View).ToList();
        return (new PruningSnapshot(others), View(self));
    }

    /// <summary>Records an artifact's path.</summary>
    public Task SetArtifactAsync(string name, string path, CancellationToken cancellationToken = default) =>
        Store.SetArtifactAsync(Record.StudyName, Record.Number, name, path, cancellationToken);
}
