using System.Data.Common;
using System.Globalization;
using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Storage.Serialization;

namespace DistillML.Tuning.Storage.Sql;

internal sealed partial class SqlTrialStore
{
    // Re-proposals after a collision with a trial the proposal could not see. Each round's snapshot shows the twin, so
    // another round needs yet another worker to record the same point meanwhile; the cap only bounds a pathological loop,
    // after which the parameter is recorded as proposed. Reaped reservations are counted apart: losing the reservation
    // must not switch the collision check off (a worker starved under load can lose several).
    private const int MaxCollisionRounds = 8;
    private const int MaxLostReservations = 4;

    public async Task<TrialRecord?> ClaimNextTrialAsync(string studyName, string workerId, Func<ProposalContext, Parameter> propose,
        int? maxTrials = null, TimeSpan? heartbeatInterval = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        ArgumentNullException.ThrowIfNull(propose);
        var interval = heartbeatInterval ?? DefaultReservationHeartbeat;
        if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(heartbeatInterval), interval, "The heartbeat interval must be positive.");

        int proposals = 0, lost = 0;
        while (true)
        {
            // 1. A short write transaction: claim the oldest pending trial, or reserve the next number (state Running,
            //    no parameter yet) and read the study as it is, the reservation included.
            var claim = await ReserveAsync(studyName, workerId, maxTrials, cancellationToken).ConfigureAwait(false);
            if (claim is null) return null;
            if (claim.Value.Claimed is { } pendingTrial) return pendingTrial;
            var (number, context) = (claim.Value.Number, claim.Value.Context!);

            // 2. The proposal, outside any transaction (it may take minutes, for example exporting and timing ONNX models),
            //    while the reservation's heartbeat keeps it from being reaped and other workers' heartbeats go through.
            for (var collisions = 0; ; collisions++)
            {
                proposals++;
                Parameter parameter;
                using (var heartbeat = new ReservationHeartbeat(this, studyName, number, workerId, interval))
                {
                    try
                    {
                        parameter = propose(context) ?? throw new InvalidOperationException("The proposal function returned null.");
                    }
                    catch
                    {
                        await heartbeat.StopAsync().ConfigureAwait(false);
                        await DropReservationAsync(studyName, number, workerId).ConfigureAwait(false);
                        throw;
                    }

                    await heartbeat.StopAsync().ConfigureAwait(false);
                }

                // 3. A short write transaction: record the parameter, unless the reservation was reaped meanwhile (then
                //    start over) or a trial the proposal did not see (recorded by another worker since the snapshot)
                //    has the same parameter (then propose again, from a snapshot that shows it).
                var known = context.Trials.Select(t => t.Number).ToHashSet();
                var outcome = await RecordProposalAsync(studyName, number, workerId, ParameterJson.Serialize(parameter),
                    collisions < MaxCollisionRounds ? known : null, cancellationToken).ConfigureAwait(false);
                if (outcome.Trial is { } trial) return trial;
                if (outcome.Context is null) break; // reaped: reserve again
                context = outcome.Context;
            }

            if (++lost >= MaxLostReservations)
            {
                throw new TrialStoreException($"The trial store ({Description}) lost reservations of study '{studyName}' to the reaper while " +
                    $"proposing ({lost} reservations lost, {proposals} proposals): the proposal takes longer than the stale-trial limit allows even with heartbeats; raise ReapOptions.MaxAge.");
            }
        }
    }

    /// <summary>The reservation's heartbeat while a proposal runs, when the caller gives none (a worker passes its own).</summary>
    private static readonly TimeSpan DefaultReservationHeartbeat = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A reserved trial: state Running, this worker, a heartbeat, and <see cref="ReservedParameter"/> (the schema's
    /// parameter column is NOT NULL since version 1, and SQLite cannot relax a constraint without rebuilding the table).
    /// Readers do not see reservations as trials; they count towards the budget and hold their number.
    /// </summary>
    internal const string ReservedParameter = "";

    private Task<(TrialRecord? Claimed, int Number, ProposalContext? Context)?> ReserveAsync(string studyName, string workerId, int? maxTrials,
        CancellationToken cancellationToken) =>
        WriteAsync<(TrialRecord?, int, ProposalContext?)?>("claim a trial", async (c, tx, now) =>
        {
            var study = await RequireStudyAsync(c, tx, studyName, lockRow: true, cancellationToken).ConfigureAwait(false);
            var pending = await Db.ScalarAsync(c, tx, "SELECT MIN(number) FROM trials WHERE study_id = @s AND state = 'Pending';",
                cancellationToken, ("@s", study.Id)).ConfigureAwait(false);
            if (pending is not null)
            {
                var claimed = Convert.ToInt32(pending, CultureInfo.InvariantCulture);
                await Db.ExecuteAsync(c, tx,
                    "UPDATE trials SET state = 'Running', worker = @w, heartbeat_ms = @now, started_ms = @now WHERE study_id = @s AND number = @n;",
                    cancellationToken, ("@w", workerId), ("@now", now), ("@s", study.Id), ("@n", claimed)).ConfigureAwait(false);
                return ((await TrialReader.ReadAsync(c, tx, study, claimed, cancellationToken).ConfigureAwait(false)).Single(), claimed, null);
            }

            if (maxTrials is { } max && await CountBudgetAsync(c, tx, study.Id, cancellationToken).ConfigureAwait(false) >= max)
            {
                return null;
            }

            var number = Convert.ToInt32(await Db.ScalarAsync(c, tx, "SELECT COALESCE(MAX(number) + 1, 0) FROM trials WHERE study_id = @s;",
                cancellationToken, ("@s", study.Id)).ConfigureAwait(false));
            await Db.ExecuteAsync(c, tx,
                "INSERT INTO trials (study_id, number, state, parameter, worker, heartbeat_ms, created_ms, started_ms) " +
                "VALUES (@s, @n, 'Running', @p, @w, @now, @now, @now);",
                cancellationToken, ("@s", study.Id), ("@n", number), ("@p", ReservedParameter), ("@w", workerId), ("@now", now)).ConfigureAwait(false);
            return (null, number, await ContextAsync(c, tx, study, number, workerId, cancellationToken).ConfigureAwait(false));
        }, cancellationToken);

    private static async Task<ProposalContext> ContextAsync(DbConnection c, DbTransaction tx, StudyInfo study, int number, string workerId,
        CancellationToken cancellationToken)
    {
        var trials = await TrialReader.ReadAsync(c, tx, study, null, cancellationToken).ConfigureAwait(false);
        var reserved = await TrialReader.ReservedNumbersAsync(c, tx, study, cancellationToken).ConfigureAwait(false);
        return new ProposalContext(study, number, workerId, trials, reserved);
    }

    private Task<(TrialRecord? Trial, ProposalContext? Context)> RecordProposalAsync(string studyName, int number, string workerId, string parameterJson,
        IReadOnlySet<int>? seen, CancellationToken cancellationToken) =>
        WriteAsync<(TrialRecord?, ProposalContext?)>("record a proposal", async (c, tx, now) =>
        {
            var study = await RequireStudyAsync(c, tx, studyName, lockRow: true, cancellationToken).ConfigureAwait(false);
            var mine = await Db.ScalarAsync(c, tx,
                "SELECT 1 FROM trials WHERE study_id = @s AND number = @n AND state = 'Running' AND worker = @w AND parameter = @r;",
                cancellationToken, ("@s", study.Id), ("@n", number), ("@w", workerId), ("@r", ReservedParameter)).ConfigureAwait(false);
            if (mine is null) return (null, null);

            if (seen is not null)
            {
                // A trial the proposal saw and repeated anyway is the tuner's choice; one it could not see is a collision.
                var twins = new List<int>();
                await using (var command = Db.Command(c, tx, "SELECT number FROM trials WHERE study_id = @s AND number <> @n AND parameter = @p;",
                    ("@s", study.Id), ("@n", number), ("@p", parameterJson)))
                await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) twins.Add(Convert.ToInt32(reader.GetValue(0)));
                }

                if (twins.Any(t => !seen.Contains(t))) return (null, await ContextAsync(c, tx, study, number, workerId, cancellationToken).ConfigureAwait(false));
            }

            await Db.ExecuteAsync(c, tx, "UPDATE trials SET parameter = @p, heartbeat_ms = @now WHERE study_id = @s AND number = @n;",
                cancellationToken, ("@p", parameterJson), ("@now", now), ("@s", study.Id), ("@n", number)).ConfigureAwait(false);
            return ((await TrialReader.ReadAsync(c, tx, study, number, cancellationToken).ConfigureAwait(false)).Single(), null);
        }, cancellationToken);

    private Task DropReservationAsync(string studyName, int number, string workerId) =>
        WriteAsync("drop a reservation", async (c, tx, _) =>
        {
            var study = await RequireStudyAsync(c, tx, studyName, lockRow: true, CancellationToken.None).ConfigureAwait(false);
            return await Db.ExecuteAsync(c, tx, "DELETE FROM trials WHERE study_id = @s AND number = @n AND worker = @w AND parameter = @r;",
                CancellationToken.None, ("@s", study.Id), ("@n", number), ("@w", workerId), ("@r", ReservedParameter)).ConfigureAwait(false);
        }, CancellationToken.None);

    /// <summary>Refreshes a reservation's heartbeat every interval until stopped; a failed beat is retried at the next tick.</summary>
    private sealed class ReservationHeartbeat : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public ReservationHeartbeat(SqlTrialStore store, string studyName, int number, string workerId, TimeSpan interval) =>
            _loop = Task.Run(async () =>
            {
                using var timer = new PeriodicTimer(interval);
                try
                {
                    while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
                    {
                        try { await store.HeartbeatAsync(studyName, number, workerId, _stop.Token).ConfigureAwait(false); }
                        catch (TrialStoreException) { } // transient: the next tick tries again
                    }
                }
                catch (OperationCanceledException) { }
            });

        public async Task StopAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _loop.ConfigureAwait(false);
        }

        public void Dispose()
        {
            _stop.Cancel();
            _stop.Dispose();
        }
    }

    public Task<TrialRecord> EnqueueTrialAsync(string studyName, Parameter parameter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        var json = ParameterJson.Serialize(parameter);
        return WriteAsync("enqueue a trial", async (c, tx, now) =>
        {
            var study = await RequireStudyAsync(c, tx, studyName, lockRow: true, cancellationToken).ConfigureAwait(false);
            var number = await InsertPendingAsync(c, tx, study.Id, json, now, attempt: 1, retryOf: null, cancellationToken).ConfigureAwait(false);
            return (await TrialReader.ReadAsync(c, tx, study, number, cancellationToken).ConfigureAwait(false)).Single();
        }, cancellationToken);
    }

    public Task<TrialRecord?> EnqueueFirstTrialAsync(string studyName, Parameter parameter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        var json = ParameterJson.Serialize(parameter);
        return WriteAsync<TrialRecord?>("enqueue the first trial", async (c, tx, now) =>
        {
            var study = await RequireStudyAsync(c, tx, studyName, lockRow: true, cancellationToken).ConfigureAwait(false);
            var count = Convert.ToInt64(await Db.ScalarAsync(c, tx, "SELECT COUNT(*) FROM trials WHERE study_id = @s;", cancellationToken, ("@s", study.Id))
                .ConfigureAwait(false), CultureInfo.InvariantCulture);
            if (count > 0)
            {
                return null;
            }

            var number = await InsertPendingAsync(c, tx, study.Id, json, now, attempt: 1, retryOf: null, cancellationToken).ConfigureAwait(false);
            return (await TrialReader.ReadAsync(c, tx, study, number, cancellationToken).ConfigureAwait(false)).Single();
        }, cancellationToken);
    }

    public Task<bool> ReleaseTrialAsync(string studyName, int trialNumber, string workerId, CancellationToken cancellationToken = default) =>
        WriteAsync("release a trial", async (c, tx, now) =>
        {
            var study = await RequireStudyAsync(c, tx, studyName, lockRow: true, cancellationToken).ConfigureAwait(false);
            var rows = await Db.ExecuteAsync(c, tx,
                "UPDATE trials SET state = 'Pending', worker = NULL, heartbeat_ms = NULL, started_ms = NULL " +
                "WHERE study_id = @s AND number = @n AND state = 'Running' AND worker = @w;",
                cancellationToken, ("@s", study.Id), ("@n", trialNumber), ("@w", workerId)).ConfigureAwait(false);
            if (rows == 1)
            {
                await Db.ExecuteAsync(c, tx,
                    "DELETE FROM trial_values WHERE trial_id = (SELECT id FROM trials WHERE study_id = @s AND number = @n);",
                    cancellationToken, ("@s", study.Id), ("@n", trialNumber)).ConfigureAwait(false);
            }

            return rows == 1;
        }, cancellationToken);

    public Task<IReadOnlyList<TrialRecord>> ReapStaleTrialsAsync(string studyName, ReapOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxAge <= TimeSpan.Zero || options.MaxAttempts < 1)
        {
            throw new ArgumentException("ReapOptions needs a positive MaxAge and MaxAttempts >= 1.", nameof(options));
        }

        return WriteAsync<IReadOnlyList<TrialRecord>>("reap stale trials", async (c, tx, now) =>
        {
            var study = await RequireStudyAsync(c, tx, studyName, lockRow: true, cancellationToken).ConfigureAwait(false);
            var cutoff = now - (long)options.MaxAge.TotalMilliseconds;
            // A reservation whose worker died while proposing ran nothing: it is dropped, and its number and budget freed.
            await Db.ExecuteAsync(c, tx,
                "DELETE FROM trials WHERE study_id = @s AND state = 'Running' AND parameter = @r AND heartbeat_ms < @cutoff;",
                cancellationToken, ("@s", study.Id), ("@r", ReservedParameter), ("@cutoff", cutoff)).ConfigureAwait(false);
            var stale = new List<(int Number, string Parameter, string? Worker, long Heartbeat, int Attempt)>();
            await using (var command = Db.Command(c, tx,
                "SELECT number, parameter, worker, heartbeat_ms, attempt FROM trials " +
                "WHERE study_id = @s AND state = 'Running' AND heartbeat_ms < @cutoff ORDER BY number;",
                ("@s", study.Id), ("@cutoff", cutoff)))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    stale.Add((Convert.ToInt32(reader.GetValue(0)), reader.GetString(1), Db.StringOrNull(reader, 2),
                        Convert.ToInt64(reader.GetValue(3)), Convert.ToInt32(reader.GetValue(4))));
                }
            }

            var reaped = new List<int>();
            foreach (var t in stale)
            {
                var retry = options.Policy == StaleTrialPolicy.RetryStale && t.Attempt < options.MaxAttempts;
                var error = $"Worker '{t.Worker}' stopped heartbeating: its last heartbeat was {(now - t.Heartbeat) / 1000.0:0.0} s old " +
                    $"(more than {options.MaxAge.TotalSeconds:0.0} s).";
                var rows = await Db.ExecuteAsync(c, tx,
                    "UPDATE trials SET state = 'Failed', ended_ms = @now, error = @e, " +
                    "finish_seq = (SELECT COALESCE(MAX(finish_seq), 0) + 1 FROM trials WHERE study_id = @s) " +
                    "WHERE study_id = @s AND number = @n AND state = 'Running' AND heartbeat_ms < @cutoff;",
                    cancellationToken, ("@now", now), ("@e", error), ("@s", study.Id), ("@n", t.Number), ("@cutoff", cutoff)).ConfigureAwait(false);
                if (rows == 0)
                {
                    continue; // its heartbeat arrived meanwhile
                }

                if (retry)
                {
                    var retryNumber = await InsertPendingAsync(c, tx, study.Id, t.Parameter, now, t.Attempt + 1, t.Number, cancellationToken).ConfigureAwait(false);
                    await Db.ExecuteAsync(c, tx,
                        "UPDATE trials SET retried_as = @r, error = @e WHERE study_id = @s AND number = @n;",
                        cancellationToken, ("@r", retryNumber), ("@e", error + $" Retried as trial {retryNumber}."), ("@s", study.Id), ("@n", t.Number))
                        .ConfigureAwait(false);
                }

                reaped.Add(t.Number);
            }

            var all = reaped.Count == 0 ? [] : await TrialReader.ReadAsync(c, tx, study, null, cancellationToken).ConfigureAwait(false);
            return all.Where(r => reaped.Contains(r.Number)).ToList();
        }, cancellationToken);
    }

    private static async Task<long> CountBudgetAsync(DbConnection c, DbTransaction tx, long studyId, CancellationToken cancellationToken) =>
        Convert.ToInt64(await Db.ScalarAsync(c, tx, "SELECT COUNT(*) FROM trials WHERE study_id = @s AND retried_as IS NULL;",
            cancellationToken, ("@s", studyId)).ConfigureAwait(false));

    private static async Task<int> InsertPendingAsync(DbConnection c, DbTransaction tx, long studyId, string parameterJson, long now, int attempt,
        int? retryOf, CancellationToken cancellationToken)
    {
        var number = Convert.ToInt32(await Db.ScalarAsync(c, tx, "SELECT COALESCE(MAX(number) + 1, 0) FROM trials WHERE study_id = @s;",
            cancellationToken, ("@s", studyId)).ConfigureAwait(false));
        await Db.ExecuteAsync(c, tx,
            "INSERT INTO trials (study_id, number, state, parameter, created_ms, attempt, retry_of) VALUES (@s, @n, 'Pending', @p, @now, @a, @r);",
            cancellationToken, ("@s", studyId), ("@n", number), ("@p", parameterJson), ("@now", now), ("@a", attempt), ("@r", retryOf)).ConfigureAwait(false);
        return number;
    }
}
