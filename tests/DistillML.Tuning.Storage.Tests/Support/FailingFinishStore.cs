using DistillML.Tuning.Trials;
using DistillML.Tuning.SearchSpace;

namespace DistillML.Tuning.Storage.Tests.Support;

/// <summary>A store whose first <c>failures</c> finishes fail as a full disk under SQLite does; everything else goes to the real store.</summary>
internal sealed class FailingFinishStore(ITrialStore inner, int failures) : ITrialStore
{
    private int _failuresLeft = failures;

    public int FinishAttempts { get; private set; }

    public string Description => inner.Description;

    public Task<bool> FinishTrialAsync(string studyName, int trialNumber, string workerId, TrialResult outcome, CancellationToken cancellationToken = default)
    {
        FinishAttempts++;
        return Interlocked.Decrement(ref _failuresLeft) >= 0
            ? throw new TrialStoreException($"The trial store ({Description}) failed to finish a trial: SQLite Error 13: 'database or disk is full'.")
            : inner.FinishTrialAsync(studyName, trialNumber, workerId, outcome, cancellationToken);
    }

    public Task<StudyInfo> CreateOrOpenStudyAsync(StudyDefinition definition, CancellationToken cancellationToken = default) => inner.CreateOrOpenStudyAsync(definition, cancellationToken);
    public Task<StudyInfo?> GetStudyAsync(string studyName, CancellationToken cancellationToken = default) => inner.GetStudyAsync(studyName, cancellationToken);
    public Task<IReadOnlyList<StudyInfo>> ListStudiesAsync(CancellationToken cancellationToken = default) => inner.ListStudiesAsync(cancellationToken);
    public Task<TrialRecord?> ClaimNextTrialAsync(string studyName, string workerId, Func<ProposalContext, Parameter> propose, int? maxTrials = null,
        TimeSpan? heartbeatInterval = null, CancellationToken cancellationToken = default) =>
        inner.ClaimNextTrialAsync(studyName, workerId, propose, maxTrials, heartbeatInterval, cancellationToken);
    public Task<TrialRecord> EnqueueTrialAsync(string studyName, Parameter parameter, CancellationToken cancellationToken = default) => inner.EnqueueTrialAsync(studyName, parameter, cancellationToken);
    public Task<TrialRecord?> EnqueueFirstTrialAsync(string studyName, Parameter parameter, CancellationToken cancellationToken = default) => inner.EnqueueFirstTrialAsync(studyName, parameter, cancellationToken);
    public Task<bool> HeartbeatAsync(string studyName, int trialNumber, string workerId, CancellationToken cancellationToken = default) => inner.HeartbeatAsync(studyName, trialNumber, workerId, cancellationToken);
    public Task ReportIntermediateValueAsync(string studyName, int trialNumber, int step, double value, CancellationToken cancellationToken = default) =>
        inner.ReportIntermediateValueAsync(studyName, trialNumber, step, value, cancellationToken);
    public Task SetArtifactAsync(string studyName, int trialNumber, string name, string path, CancellationToken cancellationToken = default) =>
        inner.SetArtifactAsync(studyName, trialNumber, name, path, cancellationToken);
    public Task<bool> ReleaseTrialAsync(string studyName, int trialNumber, string workerId, CancellationToken cancellationToken = default) => inner.ReleaseTrialAsync(studyName, trialNumber, workerId, cancellationToken);
    public Task<IReadOnlyList<TrialRecord>> ReapStaleTrialsAsync(string studyName, ReapOptions options, CancellationToken cancellationToken = default) => inner.ReapStaleTrialsAsync(studyName, options, cancellationToken);
    public Task<TrialRecord?> GetTrialAsync(string studyName, int trialNumber, CancellationToken cancellationToken = default) => inner.GetTrialAsync(studyName, trialNumber, cancellationToken);
    public Task<IReadOnlyList<TrialRecord>> GetTrialsAsync(string studyName, CancellationToken cancellationToken = default) => inner.GetTrialsAsync(studyName, cancellationToken);
    public Task<int> CountUnfinishedAsync(string studyName, CancellationToken cancellationToken = default) => inner.CountUnfinishedAsync(studyName, cancellationToken);
    public ValueTask DisposeAsync() => ValueTask.CompletedTask; // the test owns the inner store
    public void Dispose() { }
}
