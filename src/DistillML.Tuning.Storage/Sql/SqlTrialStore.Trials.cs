using DistillML.Tuning.Trials;

namespace DistillML.Tuning.Storage.Sql;

internal sealed partial class SqlTrialStore
{
    public Task<bool> HeartbeatAsync(string studyName, int trialNumber, string workerId, CancellationToken cancellationToken = default) =>
        WriteAsync("record a heartbeat", async (c, tx, now) =>
        {
            var rows = await Db.ExecuteAsync(c, tx,
                "UPDATE trials SET heartbeat_ms = @now WHERE study_id = (SELECT id FROM studies WHERE name = @name) " +
                "AND number = @n AND state = 'Running' AND worker = @w;",
                cancellationToken, ("@now", now), ("@name", studyName), ("@n", trialNumber), ("@w", workerId)).ConfigureAwait(false);
            return rows == 1;
        }, cancellationToken);

    public Task ReportIntermediateValueAsync(string studyName, int trialNumber, int step, double value, CancellationToken cancellationToken = default) =>
        WriteAsync("record an intermediate value", async (c, tx, _) =>
        {
            var rows = await Db.ExecuteAsync(c, tx,
                "INSERT INTO trial_values (trial_id, step, value) " +
                "SELECT t.id, @step, @v FROM trials t JOIN studies s ON s.id = t.study_id WHERE s.name = @name AND t.number = @n " +
                "ON CONFLICT (trial_id, step) DO UPDATE SET value = excluded.value;",
                cancellationToken, ("@step", step), ("@v", value), ("@name", studyName), ("@n", trialNumber)).ConfigureAwait(false);
            return rows == 1 ? 0 : throw NoTrial(studyName, trialNumber);
        }, cancellationToken);

    public Task SetArtifactAsync(string studyName, int trialNumber, string name, string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(path);
        return WriteAsync("record an artifact", async (c, tx, _) =>
        {
            var rows = await Db.ExecuteAsync(c, tx,
                "INSERT INTO trial_artifacts (trial_id, name, path) " +
                "SELECT t.id, @a, @p FROM trials t JOIN studies s ON s.id = t.study_id WHERE s.name = @name AND t.number = @n " +
                "ON CONFLICT (trial_id, name) DO UPDATE SET path = excluded.path;",
                cancellationToken, ("@a", name), ("@p", path), ("@name", studyName), ("@n", trialNumber)).ConfigureAwait(false);
            return rows == 1 ? 0 : throw NoTrial(studyName, trialNumber);
        }, cancellationToken);
    }

    public Task<bool> FinishTrialAsync(string studyName, int trialNumber, string workerId, TrialResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.Status.IsFinished())
            throw new ArgumentException($"A trial ends Completed, Failed or Pruned, not {result.Status}.", nameof(result));
        if (result.TrialSettings.TrialId != trialNumber)
            throw new ArgumentException($"The result is trial {result.TrialSettings.TrialId}'s, not trial {trialNumber}'s.", nameof(result));
        return WriteAsync("finish a trial", async (c, tx, now) =>
        {
            var study = await RequireStudyAsync(c, tx, studyName, lockRow: true, cancellationToken).ConfigureAwait(false);
            var rows = await Db.ExecuteAsync(c, tx,
                "UPDATE trials SET state = @state, ended_ms = @now, heartbeat_ms = @now, error = @e, cost = @cost, duration_ms = @d, " +
                "finish_seq = (SELECT COALESCE(MAX(finish_seq), 0) + 1 FROM trials WHERE study_id = @s) " +
                "WHERE study_id = @s AND number = @n AND state = 'Running' AND worker = @w;",
                cancellationToken, ("@state", result.Status.ToString()), ("@now", now), ("@e", result.Error), ("@cost", result.Cost),
                ("@d", result.DurationInMilliseconds), ("@s", study.Id), ("@n", trialNumber), ("@w", workerId)).ConfigureAwait(false);
            if (rows == 0)
            {
                var exists = await Db.ScalarAsync(c, tx, "SELECT 1 FROM trials WHERE study_id = @s AND number = @n;",
                    cancellationToken, ("@s", study.Id), ("@n", trialNumber)).ConfigureAwait(false);
                return exists is null ? throw NoTrial(studyName, trialNumber) : false;
            }

            foreach (var (name, value) in result.Metrics)
            {
                await Db.ExecuteAsync(c, tx,
                    "INSERT INTO trial_metrics (trial_id, name, value) SELECT id, @m, @v FROM trials WHERE study_id = @s AND number = @n " +
                    "ON CONFLICT (trial_id, name) DO UPDATE SET value = excluded.value;",
                    cancellationToken, ("@m", name), ("@v", value), ("@s", study.Id), ("@n", trialNumber)).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken);
    }

    private TrialStoreException NoTrial(string studyName, int trialNumber) =>
        new($"The trial store ({Description}) has no trial {trialNumber} in study '{studyName}'.");
}
