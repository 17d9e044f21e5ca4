using System.Data.Common;
using DistillML.Tuning.Storage.Sql;

namespace DistillML.Tuning.Storage;

/// <summary>Which database a trial store lives in.</summary>
public enum TrialStoreKind
{
    /// <summary>A SQLite file: the embedded default, for one machine.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database: for spreading a sweep over many machines.</summary>
    PostgreSql,
}

/// <summary>Opens trial stores from connection strings.</summary>
public static class TrialStore
{
    /// <summary>
    /// Opens (creating or migrating its schema) the store that <paramref name="connectionString"/> names:
    /// "Data Source=sweep.db" (or just a file path) for SQLite, "Host=...;Database=...;Username=...;Password=..." for PostgreSQL.
    /// </summary>
    /// <exception cref="ArgumentException">The string names neither kind of store.</exception>
    /// <exception cref="TrialStoreException">The store cannot be reached or opened.</exception>
    /// <exception cref="TrialStoreSchemaException">The store was written by a newer DistillML.</exception>
    public static async Task<ITrialStore> OpenAsync(string connectionString, CancellationToken cancellationToken = default) =>
        await SqlTrialStore.OpenAsync(CreateDialect(connectionString), cancellationToken).ConfigureAwait(false);

    /// <summary>Opens a store synchronously; see <see cref="OpenAsync"/>.</summary>
    public static ITrialStore Open(string connectionString) => OpenAsync(connectionString).GetAwaiter().GetResult();

    /// <summary>
    /// Opens a store that must already exist, for reading what a sweep wrote: an SQLite file that is not there is an
    /// error instead of a new empty database. PostgreSQL databases exist before any store is opened in them.
    /// </summary>
    /// <exception cref="TrialStoreException">The SQLite file does not exist, or the store cannot be opened.</exception>
    public static async Task<ITrialStore> OpenExistingAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        if (DetectKind(connectionString) == TrialStoreKind.Sqlite)
        {
            string path = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString.Contains('=') ? connectionString : $"Data Source={connectionString}").DataSource;
            if (path != ":memory:" && !File.Exists(path))
                throw new TrialStoreException($"Trial store '{path}' does not exist: give the store a sweep wrote (--store \"Data Source=OUT/sweep.db\").");
        }
        return await OpenAsync(connectionString, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Which kind of store <paramref name="connectionString"/> names.</summary>
    /// <exception cref="ArgumentException">The string names neither kind of store.</exception>
    public static TrialStoreKind DetectKind(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        if (!connectionString.Contains('='))
        {
            return TrialStoreKind.Sqlite;
        }

        DbConnectionStringBuilder builder;
        try
        {
            builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Not a connection string: {e.Message}", nameof(connectionString), e);
        }

        if (builder.ContainsKey("Host") || builder.ContainsKey("Server"))
        {
            return TrialStoreKind.PostgreSql;
        }

        if (builder.ContainsKey("Data Source") || builder.ContainsKey("DataSource") || builder.ContainsKey("Filename"))
        {
            return TrialStoreKind.Sqlite;
        }

        throw new ArgumentException(
            "Cannot tell the trial store from the connection string: expected \"Data Source=FILE\" (SQLite) or " +
            "\"Host=...;Database=...\" (PostgreSQL).", nameof(connectionString));
    }

    internal static StoreDialect CreateDialect(string connectionString) => DetectKind(connectionString) switch
    {
        TrialStoreKind.PostgreSql => new PostgresDialect(connectionString),
        _ => new SqliteDialect(connectionString.Contains('=') ? connectionString : $"Data Source={connectionString}"),
    };
}
