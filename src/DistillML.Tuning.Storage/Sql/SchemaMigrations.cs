using System.Data.Common;

namespace DistillML.Tuning.Storage.Sql;

/// <summary>
/// The store's schema, as numbered migrations. A store records each applied version in <c>schema_version</c>;
/// opening an older store applies the missing migrations in one transaction, and a newer one is refused.
/// </summary>
internal static class SchemaMigrations
{
    /// <summary>The schema version this build writes and reads.</summary>
    public const int CurrentVersion = 2;

    /// <summary>Migration i (1-based) brings a store from version i - 1 to i. "{id}" stands for the dialect's id column.</summary>
    private static readonly string[] Migrations =
    [
        // 1: studies, trials and their values, metrics and artifacts. Times are Unix milliseconds of the store's clock.
        """
        CREATE TABLE studies (
            id {id},
            name TEXT NOT NULL UNIQUE,
            description TEXT NOT NULL,
            objectives TEXT NOT NULL,
            created_ms BIGINT NOT NULL);
        CREATE TABLE trials (
            id {id},
            study_id BIGINT NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('Pending', 'Running', 'Completed', 'Failed', 'Pruned')),
            parameter TEXT NOT NULL,
            worker TEXT NULL,
            heartbeat_ms BIGINT NULL,
            created_ms BIGINT NOT NULL,
            started_ms BIGINT NULL,
            ended_ms BIGINT NULL,
            finish_seq BIGINT NULL,
            error TEXT NULL,
            cost DOUBLE PRECISION NULL,
            duration_ms DOUBLE PRECISION NULL,
            attempt INTEGER NOT NULL DEFAULT 1,
            retry_of INTEGER NULL,
            retried_as INTEGER NULL,
            UNIQUE (study_id, number));
        CREATE TABLE trial_values (
            trial_id BIGINT NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
            step INTEGER NOT NULL,
            value DOUBLE PRECISION NULL,
            PRIMARY KEY (trial_id, step));
        CREATE TABLE trial_metrics (
            trial_id BIGINT NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            value DOUBLE PRECISION NULL,
            PRIMARY KEY (trial_id, name));
        CREATE TABLE trial_artifacts (
            trial_id BIGINT NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            path TEXT NOT NULL,
            PRIMARY KEY (trial_id, name));
        """,

        // 2: indexes for claiming, reaping and replaying in finish order.
        """
        CREATE INDEX ix_trials_study_state ON trials (study_id, state);
        CREATE INDEX ix_trials_study_finish ON trials (study_id, finish_seq);
        """,
    ];

    /// <summary>Creates or migrates the schema up to <paramref name="targetVersion"/> (tests use an older target to make old stores).</summary>
    public static async Task<int> ApplyAsync(StoreDialect dialect, DbConnection connection, CancellationToken cancellationToken, int targetVersion = CurrentVersion)
    {
        await dialect.PrepareDatabaseAsync(connection, cancellationToken).ConfigureAwait(false);
        await using var transaction = await dialect.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        if (dialect.SchemaLockSql.Length > 0)
        {
            await Db.ExecuteAsync(connection, transaction, dialect.SchemaLockSql, cancellationToken).ConfigureAwait(false);
        }

        await Db.ExecuteAsync(connection, transaction,
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_ms BIGINT NOT NULL);",
            cancellationToken).ConfigureAwait(false);
        var found = Convert.ToInt32(await Db.ScalarAsync(connection, transaction,
            "SELECT COALESCE(MAX(version), 0) FROM schema_version;", cancellationToken).ConfigureAwait(false));
        if (found > CurrentVersion)
        {
            throw new TrialStoreSchemaException(
                $"The trial store ({dialect.Description}) has schema version {found}, but this build of DistillML reads versions up to " +
                $"{CurrentVersion}. Open it with a newer DistillML, or use another store.", found, CurrentVersion);
        }

        for (var version = found + 1; version <= targetVersion; version++)
        {
            await Db.ExecuteAsync(connection, transaction, Migrations[version - 1].Replace("{id}", dialect.IdColumn), cancellationToken).ConfigureAwait(false);
            await Db.ExecuteAsync(connection, transaction,
                $"INSERT INTO schema_version (version, applied_ms) VALUES ({version}, {dialect.NowMs});", cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return Math.Max(found, targetVersion);
    }
}
