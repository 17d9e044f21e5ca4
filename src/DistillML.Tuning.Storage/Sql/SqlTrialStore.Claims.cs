using System.Data.Common;
using System.Globalization;
using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Storage.Serialization;

namespace DistillML.Tuning.Storage.Sql;

internal sealed partial class SqlTrialStore
{
    public Task<TrialRecord?> ClaimNextTrialAsync(string studyName, string workerId, Func<ProposalContext, Parameter> propose,
        int? maxTrials = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        ArgumentNullException.ThrowIfNull(propose);
        return WriteAsync("claim a trial", async (c, tx, now) =>
        {
            var study = await RequireStudyAsync(c, tx, studyName, lockRow: true, cancellationToken).ConfigureAwait(false);
            var pending = await Db.ScalarAsync(c, tx, "SELECT MIN(number) FROM trials WHERE study_id = @s AND state = 'Pending';",
                cancellationToken, ("@s", study.Id)).ConfigureAwait(false);
            int number;
            if (pending is not null)
            {
                number = Convert.ToInt32(pending, CultureInfo.InvariantCulture);
                await Db.ExecuteAsync(c, tx,
                    "UPDATE trials SET state = 'Running', worker = @w, heartbeat_ms = @now, started_ms = @now WHERE study_id = @s AND number = @n;",
                    cancellationToken, ("@w", workerId), ("@now", now), ("@s", study.Id), ("@n", number)).ConfigureAwait(false);
            }
            else
            {
                if (maxTrials is { } max && await CountBudgetAsync(c, tx, study.Id, cancellationToken).ConfigureAwait(false) >= max)
                {
                    return null;
                }

                var trials = await TrialReader.ReadAsync(c, tx, study, null, cancellationToken).ConfigureAwait(false);
                number = trials.Count == 0 ? 0 : trials[^1].Number + 1;
                var parameter = propose(new ProposalContext(study, number, workerId, trials))
                    ?? throw new InvalidOperationException("The proposal function returned null.");
                await Db.ExecuteAsync(c, tx,
                    "INSERT INTO trials (study_id, number, state, parameter, worker, heartbeat_ms, created_ms, started_ms) " +
                    "VALUES (@s, @n, 'Running', @p, @w, @now, @now, @now);",
                    cancellationToken, ("@s", study.Id), ("@n", number), ("@p", ParameterJson.Serialize(parameter)), ("@w", workerId), ("@now", now))
                    .ConfigureAwait(false);
            }

            return (await TrialReader.ReadAsync(c, tx, study, number, cancellationToken).ConfigureAwait(false)).Single();
        }, cancellationToken);
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
