using DistillML.Tuning.Trials;
using System.Diagnostics;
using DistillML.Tuning.SearchSpace;

namespace DistillML.Tuning.Storage.Workers;

/// <summary>
/// One worker of a shared study (what <c>distillml worker</c> runs): reaps trials of dead workers, claims the next
/// trial, trains it with a heartbeat running, records how it ended, and goes on until the budget is spent and no
/// trial of any worker is left running. Start any number of them, in any number of processes or machines.
/// </summary>
public sealed class TrialWorker
{
    private readonly ITrialStore _store;
    private readonly string _studyName;
    private readonly Func<ProposalContext, Parameter> _propose;
    private readonly TrialWorkerOptions _options;

    /// <summary>Creates a worker.</summary>
    /// <param name="store">The shared store.</param>
    /// <param name="studyName">The study (created beforehand with <see cref="ITrialStore.CreateOrOpenStudyAsync"/>).</param>
    /// <param name="workerId">Who this is; <see cref="NewWorkerId"/> when null.</param>
    /// <param name="propose">The proposal function, for example <see cref="TunerProposals.FromSampler"/>.</param>
    /// <param name="options">Options; defaults when null.</param>
    public TrialWorker(ITrialStore store, string studyName, string? workerId, Func<ProposalContext, Parameter> propose, TrialWorkerOptions? options = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        ArgumentException.ThrowIfNullOrWhiteSpace(studyName);
        _studyName = studyName;
        _propose = propose ?? throw new ArgumentNullException(nameof(propose));
        _options = options ?? new TrialWorkerOptions();
        WorkerId = string.IsNullOrWhiteSpace(workerId) ? NewWorkerId() : workerId;
    }

    /// <summary>This worker's id.</summary>
    public string WorkerId { get; }

    /// <summary>A worker id unique across machines and processes: host, process id and a random suffix.</summary>
    public static string NewWorkerId() => $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}"[..^24];

    /// <summary>
    /// Runs trials until there is nothing left to do. <paramref name="evaluate"/> trains one trial; its token is
    /// cancelled when the run is cancelled or the trial was reaped (its heartbeat could not keep up). An exception
    /// records the trial as failed with the exception's text. On cancellation the running trial is released (pending
    /// again, for the next worker) and the cancellation is rethrown. Returns the number of trials this worker finished.
    /// </summary>
    public async Task<int> RunAsync(Func<RunningTrial, CancellationToken, Task<TrialResult>> evaluate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        var finished = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await _store.ReapStaleTrialsAsync(_studyName, _options.Reap, cancellationToken).ConfigureAwait(false);
            var trial = await _store.ClaimNextTrialAsync(_studyName, WorkerId, _propose, _options.MaxTrials, _options.HeartbeatInterval, cancellationToken).ConfigureAwait(false);
            if (trial is null)
            {
                if (!_options.WaitForRunningTrials || !await AnyTrialRunningAsync(cancellationToken).ConfigureAwait(false))
                {
                    return finished;
                }

                await Task.Delay(_options.IdlePollInterval, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (await RunTrialAsync(trial, evaluate, cancellationToken).ConfigureAwait(false))
            {
                finished++;
            }
        }
    }

    // Reservations count: another worker still proposing will run a trial this worker's results should include.
    private async Task<bool> AnyTrialRunningAsync(CancellationToken cancellationToken) =>
        await _store.CountUnfinishedAsync(_studyName, cancellationToken).ConfigureAwait(false) > 0;

    private async Task<bool> RunTrialAsync(TrialRecord trial, Func<RunningTrial, CancellationToken, Task<TrialResult>> evaluate,
        CancellationToken cancellationToken)
    {
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopHeartbeat = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(trial.Number, lost, stopHeartbeat.Token);
        var watch = Stopwatch.StartNew();
        TrialResult outcome;
        try
        {
            outcome = await evaluate(new RunningTrial(_store, trial, WorkerId), lost.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await StopAsync(stopHeartbeat, heartbeat).ConfigureAwait(false);
            await _store.ReleaseTrialAsync(_studyName, trial.Number, WorkerId, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested)
        {
            await StopAsync(stopHeartbeat, heartbeat).ConfigureAwait(false);
            return false; // reaped: failed or retried by whoever reaped it
        }
        catch (Exception e)
        {
            outcome = trial.Failed(e.ToString());
        }

        await StopAsync(stopHeartbeat, heartbeat).ConfigureAwait(false);
        if (outcome.DurationInMilliseconds == 0)
        {
            outcome = outcome with { DurationInMilliseconds = watch.Elapsed.TotalMilliseconds };
        }

        return await RecordAsync(trial.Number, outcome).ConfigureAwait(false);
    }

    /// <summary>
    /// Records how a trial ended, retrying a store that fails for a while (a full disk being freed, a database restart).
    /// If it keeps failing, the exception says how the trial ended as well as why the store refused, so the cause is not
    /// lost: the trial itself stays running in the store and is reaped as stale later.
    /// </summary>
    private async Task<bool> RecordAsync(int trialNumber, TrialResult outcome)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _store.FinishTrialAsync(_studyName, trialNumber, WorkerId, outcome, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TrialStoreException) when (attempt < _options.RecordAttempts)
            {
                await Task.Delay(_options.RecordRetryDelay * attempt).ConfigureAwait(false);
            }
            catch (TrialStoreException e)
            {
                var how = outcome.Error is { } error ? $"{outcome.Status}: {error.Split('\n')[0].Trim()}" : outcome.Status.ToString();
                throw new TrialStoreException(
                    $"Trial {trialNumber} of study '{_studyName}' ended {how}, but the store could not record it ({attempt} attempts): {e.Message}", e);
            }
        }
    }

    private async Task HeartbeatAsync(int trialNumber, CancellationTokenSource lost, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(_options.HeartbeatInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                try
                {
                    if (!await _store.HeartbeatAsync(_studyName, trialNumber, WorkerId, stop).ConfigureAwait(false))
                    {
                        await lost.CancelAsync().ConfigureAwait(false);
                        return;
                    }
                }
                catch (TrialStoreException)
                {
                    // A transient outage: try again at the next tick; the reaper's max age leaves room for a few misses.
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private static async Task StopAsync(CancellationTokenSource stop, Task heartbeat)
    {
        await stop.CancelAsync().ConfigureAwait(false);
        await heartbeat.ConfigureAwait(false);
    }
}
