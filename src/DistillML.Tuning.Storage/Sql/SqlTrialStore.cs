using System.Data.Common;
using DistillML.Tuning.Storage.Serialization;

namespace DistillML.Tuning.Storage.Sql;

/// <summary>
/// The one <see cref="ITrialStore"/> implementation: shared SQL over a <see cref="StoreDialect"/> (SQLite or PostgreSQL).
/// Each call opens a pooled connection and runs in its own transaction; every write transaction first locks the
/// study (SQLite: the database, by BEGIN IMMEDIATE; PostgreSQL: the study row, by SELECT ... FOR UPDATE), so claims,
/// reaps and finishes of one study are serialized and trial numbers are assigned without gaps or duplicates.
/// </summary>
internal sealed partial class SqlTrialStore : ITrialStore
{
    private const int MaxAttempts = 5;
    private readonly StoreDialect _dialect;
    private int _disposed;

    private SqlTrialStore(StoreDialect dialect) => _dialect = dialect;

    public string Description => _dialect.Description;

    /// <summary>Opens the store and creates or migrates its schema.</summary>
    public static async Task<SqlTrialStore> OpenAsync(StoreDialect dialect, CancellationToken cancellationToken, int targetVersion = SchemaMigrations.CurrentVersion)
    {
        var store = new SqlTrialStore(dialect);
        try
        {
            await store.RunAsync("open", async c =>
            {
                await SchemaMigrations.ApplyAsync(dialect, c, cancellationToken, targetVersion).ConfigureAwait(false);
                return 0;
            }, cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task<StudyInfo> CreateOrOpenStudyAsync(StudyDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var study = await WriteAsync("create study", async (c, tx, now) =>
        {
            await Db.ExecuteAsync(c, tx,
                "INSERT INTO studies (name, description, objectives, created_ms) VALUES (@name, @d, @o, @now) ON CONFLICT (name) DO NOTHING;",
                cancellationToken, ("@name", definition.Name), ("@d", definition.DescriptionJson),
                ("@o", ObjectivesJson.Serialize(definition.Objectives)), ("@now", now)).ConfigureAwait(false);
            return await FindStudyAsync(c, tx, definition.Name, lockRow: false, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        if (!study!.Objectives.SequenceEqual(definition.Objectives))
        {
            throw new TrialStoreException(
                $"Study '{definition.Name}' in the trial store ({Description}) has objectives [{string.Join(", ", study.Objectives)}], " +
                $"not [{string.Join(", ", definition.Objectives)}]. Use another study name for other objectives.");
        }

        return study;
    }

    public Task<StudyInfo?> GetStudyAsync(string studyName, CancellationToken cancellationToken = default) =>
        ReadAsync("read study", (c, tx) => FindStudyAsync(c, tx, studyName, lockRow: false, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<StudyInfo>> ListStudiesAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<StudyInfo>>("list studies", async (c, tx) =>
        {
            var studies = new List<StudyInfo>();
            await using var command = Db.Command(c, tx, "SELECT id, name, description, objectives, created_ms FROM studies ORDER BY name;");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                studies.Add(ReadStudy(reader));
            }

            return studies;
        }, cancellationToken);

    public Task<TrialRecord?> GetTrialAsync(string studyName, int trialNumber, CancellationToken cancellationToken = default) =>
        ReadAsync("read trial", async (c, tx) =>
        {
            var study = await RequireStudyAsync(c, tx, studyName, lockRow: false, cancellationToken).ConfigureAwait(false);
            return (await TrialReader.ReadAsync(c, tx, study, trialNumber, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
        }, cancellationToken);

    public Task<IReadOnlyList<TrialRecord>> GetTrialsAsync(string studyName, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<TrialRecord>>("read trials", async (c, tx) =>
        {
            var study = await RequireStudyAsync(c, tx, studyName, lockRow: false, cancellationToken).ConfigureAwait(false);
            return await TrialReader.ReadAsync(c, tx, study, null, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task<int> CountUnfinishedAsync(string studyName, CancellationToken cancellationToken = default) =>
        ReadAsync("count unfinished trials", async (c, tx) =>
        {
            var study = await RequireStudyAsync(c, tx, studyName, lockRow: false, cancellationToken).ConfigureAwait(false);
            return Convert.ToInt32(await Db.ScalarAsync(c, tx, "SELECT COUNT(*) FROM trials WHERE study_id = @s AND state IN ('Pending', 'Running');",
                cancellationToken, ("@s", study.Id)).ConfigureAwait(false));
        }, cancellationToken);

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _dialect.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<StudyInfo?> FindStudyAsync(DbConnection c, DbTransaction tx, string name, bool lockRow, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        await using var command = Db.Command(c, tx,
            $"SELECT id, name, description, objectives, created_ms FROM studies WHERE name = @name{(lockRow ? _dialect.ForUpdate : string.Empty)};",
            ("@name", name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadStudy(reader) : null;
    }

    private async Task<StudyInfo> RequireStudyAsync(DbConnection c, DbTransaction tx, string name, bool lockRow, CancellationToken cancellationToken) =>
        await FindStudyAsync(c, tx, name, lockRow, cancellationToken).ConfigureAwait(false)
        ?? throw new TrialStoreException($"The trial store ({Description}) has no study named '{name}'; create it with CreateOrOpenStudyAsync.");

    private static StudyInfo ReadStudy(DbDataReader r) => new()
    {
        Id = r.GetInt64(0),
        Name = r.GetString(1),
        DescriptionJson = r.GetString(2),
        Objectives = ObjectivesJson.Deserialize(r.GetString(3)),
        CreatedAtUtc = Db.FromMs(Convert.ToInt64(r.GetValue(4))),
    };

    /// <summary>Runs <paramref name="body"/> in a write transaction with the store's current time (Unix ms), retrying transient conflicts.</summary>
    private Task<T> WriteAsync<T>(string operation, Func<DbConnection, DbTransaction, long, Task<T>> body, CancellationToken cancellationToken) =>
        RunAsync(operation, async c =>
        {
            await using var tx = await _dialect.BeginWriteAsync(c, cancellationToken).ConfigureAwait(false);
            var now = Convert.ToInt64(await Db.ScalarAsync(c, tx, $"SELECT {_dialect.NowMs};", cancellationToken).ConfigureAwait(false));
            var result = await body(c, tx, now).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }, cancellationToken);

    private Task<T> ReadAsync<T>(string operation, Func<DbConnection, DbTransaction, Task<T>> body, CancellationToken cancellationToken) =>
        RunAsync(operation, async c =>
        {
            await using var tx = await _dialect.BeginReadAsync(c, cancellationToken).ConfigureAwait(false);
            var result = await body(c, tx).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }, cancellationToken);

    private async Task<T> RunAsync<T>(string operation, Func<DbConnection, Task<T>> body, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
                return await body(connection).ConfigureAwait(false);
            }
            catch (Exception e) when (_dialect.IsTransient(e) && attempt < MaxAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt * Random.Shared.Next(1, 5)), cancellationToken).ConfigureAwait(false);
            }
            catch (DbException e)
            {
                throw new TrialStoreException($"The trial store ({Description}) failed to {operation}: {e.Message}", e);
            }
        }
    }
}
