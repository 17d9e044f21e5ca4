using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Trials;

namespace DistillML.Tuning.Storage;

/// <summary>
/// Durable storage of sweeps, shared by any number of workers (threads, processes or machines): studies, trials,
/// their parameters, intermediate values, metrics, states, heartbeats and artifact paths. Every write is one
/// transaction. Open one with <see cref="TrialStore.Open"/>; instances are thread-safe.
/// </summary>
/// <remarks>
/// A worker's cycle: <see cref="ClaimNextTrialAsync"/> (which reserves the trial's number in one transaction and
/// records the proposal in another, so no two workers train the same trial), <see cref="HeartbeatAsync"/> every few seconds while it
/// trains, <see cref="ReportIntermediateValueAsync"/> for pruning, <see cref="FinishTrialAsync"/>. Anyone may call
/// <see cref="ReapStaleTrialsAsync"/> to fail or retry trials whose worker died.
/// </remarks>
public interface ITrialStore : IAsyncDisposable, IDisposable
{
    /// <summary>What the store is, for messages: for example "SQLite file '/data/sweep.db'". Never holds a password.</summary>
    string Description { get; }

    /// <summary>Creates the study, or returns the existing one after checking that its objectives match.</summary>
    /// <exception cref="TrialStoreException">The study exists with other objectives.</exception>
    Task<StudyInfo> CreateOrOpenStudyAsync(StudyDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>The study named <paramref name="studyName"/>, or null.</summary>
    Task<StudyInfo?> GetStudyAsync(string studyName, CancellationToken cancellationToken = default);

    /// <summary>All studies, by name.</summary>
    Task<IReadOnlyList<StudyInfo>> ListStudiesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims a trial for <paramref name="workerId"/>: the oldest pending trial if there is one (its parameter is
    /// kept), otherwise - while the study has fewer than <paramref name="maxTrials"/> trials - a new trial numbered
    /// after the last. A new trial's number is reserved in one short transaction; <paramref name="propose"/> then
    /// computes its parameter outside any transaction (so a slow proposal holds no lock and delays no other worker's
    /// heartbeat) while the reservation is kept alive with a heartbeat every <paramref name="heartbeatInterval"/>; a
    /// second short transaction records it. If a trial recorded meanwhile (which the proposal could not see) has the
    /// same parameter, the proposal is asked again from a snapshot that shows it (up to 3 times); if the reservation was reaped,
    /// the claim starts over. The trial is returned running with a fresh heartbeat.
    /// </summary>
    /// <param name="studyName">The study.</param>
    /// <param name="workerId">Who claims (for example host:pid).</param>
    /// <param name="propose">Computes the new trial's parameter; see <see cref="TunerProposals"/>. Must not touch the store.</param>
    /// <param name="maxTrials">The trial budget: trials replaced by a retry do not count. Null for no limit.</param>
    /// <param name="heartbeatInterval">How often the reservation's heartbeat is refreshed while proposing; null for 5 s.</param>
    /// <param name="cancellationToken">Cancels the claim.</param>
    /// <returns>The running trial, or null when the budget is spent and nothing is pending.</returns>
    /// <exception cref="TrialStoreException">The store failed, or the reservation was reaped repeatedly while proposing.</exception>
    Task<TrialRecord?> ClaimNextTrialAsync(string studyName, string workerId, Func<ProposalContext, Parameter> propose,
        int? maxTrials = null, TimeSpan? heartbeatInterval = null, CancellationToken cancellationToken = default);

    /// <summary>Adds a pending trial with a given parameter (claimed before any new proposal). Returns it.</summary>
    Task<TrialRecord> EnqueueTrialAsync(string studyName, Parameter parameter, CancellationToken cancellationToken = default);

    /// <summary>
    /// Enqueues <paramref name="parameter"/> as the study's first trial when it has no trial yet, checked in the same
    /// transaction (so of several workers starting a study together exactly one enqueues it). Null when it had trials.
    /// </summary>
    Task<TrialRecord?> EnqueueFirstTrialAsync(string studyName, Parameter parameter, CancellationToken cancellationToken = default);

    /// <summary>Refreshes a running trial's heartbeat. False when the trial is no longer running for this worker (it was reaped): stop training it.</summary>
    Task<bool> HeartbeatAsync(string studyName, int trialNumber, string workerId, CancellationToken cancellationToken = default);

    /// <summary>Records (or replaces) an intermediate value of a trial at <paramref name="step"/>.</summary>
    Task ReportIntermediateValueAsync(string studyName, int trialNumber, int step, double value, CancellationToken cancellationToken = default);

    /// <summary>Records (or replaces) the path of a trial's artifact, such as its ONNX model.</summary>
    Task SetArtifactAsync(string studyName, int trialNumber, string name, string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// Finishes a running trial of <paramref name="workerId"/> as <paramref name="result"/> says (state, metrics, error,
    /// cost, wall time), in one transaction. False (and nothing recorded) when the trial is not running for this worker
    /// any more: it was reaped as stale.
    /// </summary>
    /// <exception cref="ArgumentException">The result is not a finished state, or is another trial's (<see cref="TrialSettings.TrialId"/>).</exception>
    /// <exception cref="TrialStoreException">The study or trial does not exist.</exception>
    Task<bool> FinishTrialAsync(string studyName, int trialNumber, string workerId, TrialResult result, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives a running trial back (for example on Ctrl-C): it becomes pending again with the same number and parameter,
    /// and its intermediate values are dropped. False when it is not running for this worker.
    /// </summary>
    Task<bool> ReleaseTrialAsync(string studyName, int trialNumber, string workerId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Fails (or retries, see <see cref="ReapOptions.Policy"/>) every running trial whose heartbeat is older than
    /// <see cref="ReapOptions.MaxAge"/> by the store's clock. Returns the trials reaped, as they are now.
    /// </summary>
    Task<IReadOnlyList<TrialRecord>> ReapStaleTrialsAsync(string studyName, ReapOptions options, CancellationToken cancellationToken = default);

    /// <summary>One trial with its metrics, intermediate values and artifacts, or null.</summary>
    Task<TrialRecord?> GetTrialAsync(string studyName, int trialNumber, CancellationToken cancellationToken = default);

    /// <summary>Every trial of the study with its metrics, intermediate values and artifacts, by number.</summary>
    Task<IReadOnlyList<TrialRecord>> GetTrialsAsync(string studyName, CancellationToken cancellationToken = default);

    /// <summary>
    /// How many of the study's trials are not finished: pending, running, and reserved (a claim still proposing its
    /// parameter, which <see cref="GetTrialsAsync"/> does not list). A worker with nothing left to claim waits while this is positive.
    /// </summary>
    Task<int> CountUnfinishedAsync(string studyName, CancellationToken cancellationToken = default);
}

/// <summary>Conveniences over <see cref="ITrialStore"/>.</summary>
public static class TrialStoreExtensions
{
    /// <summary>
    /// The finished trials a resumed sweep replays into its tuner (<c>tuner.Replay(results)</c>),
    /// in the order they finished; trials replaced by a retry are left out.
    /// </summary>
    public static async Task<IReadOnlyList<TrialResult>> LoadResultsAsync(this ITrialStore store, string studyName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var trials = await store.GetTrialsAsync(studyName, cancellationToken).ConfigureAwait(false);
        return trials.Where(t => t.CountsAsResult).OrderBy(t => t.FinishSequence).ThenBy(t => t.Number)
            .Select(t => t.ToTrialResult()).ToList();
    }
}
