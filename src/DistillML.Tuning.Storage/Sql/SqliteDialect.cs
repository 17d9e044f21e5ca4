using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace DistillML.Tuning.Storage.Sql;

/// <summary>SQLite: one file, any number of processes on one machine; WAL journal, writers serialized by BEGIN IMMEDIATE.</summary>
internal sealed class SqliteDialect : StoreDialect
{
    private readonly string _connectionString;

    public SqliteDialect(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (string.IsNullOrWhiteSpace(builder.DataSource) || builder.DataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
        {
            throw new ArgumentException(
                "A SQLite trial store needs a file, as in \"Data Source=sweep.db\" (in-memory databases are not shared between connections).",
                nameof(connectionString));
        }

        builder.DataSource = Path.GetFullPath(builder.DataSource);
        if (Path.GetDirectoryName(builder.DataSource) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }
        if (!connectionString.Contains("timeout", StringComparison.OrdinalIgnoreCase))
        {
            builder.DefaultTimeout = 60;
        }

        _connectionString = builder.ToString();
        Description = $"SQLite file '{builder.DataSource}'";
    }

    public override string Description { get; }

    public override string IdColumn => "INTEGER PRIMARY KEY";

    public override string NowMs => "CAST(ROUND((julianday('now') - 2440587.5) * 86400000.0) AS INTEGER)";

    public override string ForUpdate => string.Empty;

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {(int)TimeSpan.FromSeconds(60).TotalMilliseconds};";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(IsolationLevel.Serializable, deferred: false));

    public override Task<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(IsolationLevel.Serializable, deferred: true));

    public override async Task PrepareDatabaseAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public override bool IsTransient(Exception e) => e is SqliteException { SqliteErrorCode: 5 or 6 };

    public override ValueTask DisposeAsync()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }
}
