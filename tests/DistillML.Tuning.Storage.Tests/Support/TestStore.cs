using DistillML.TestSupport;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DistillML.Tuning.Storage.Tests.Support;

/// <summary>
/// A store for one test: a SQLite file in a fresh temp folder, or the PostgreSQL test database (studies are
/// named uniquely, so tests share it), or with <c>scratch: true</c> a PostgreSQL database of its own (for schema tests).
/// </summary>
public sealed class TestStore : IAsyncDisposable
{
    private readonly string? _directory;
    private readonly string? _scratchDatabase;

    private TestStore(string connectionString, string? directory, string? scratchDatabase)
    {
        ConnectionString = connectionString;
        _directory = directory;
        _scratchDatabase = scratchDatabase;
    }

    public string ConnectionString { get; }

    /// <summary>A study name no other test uses.</summary>
    public static string UniqueStudy(string prefix = "study") => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static async Task<TestStore> CreateAsync(string backend, bool scratch = false)
    {
        if (backend == StoreBackends.Sqlite)
        {
            var directory = Path.Combine(Path.GetTempPath(), "distillml-store-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            return new TestStore($"Data Source={Path.Combine(directory, "sweep.db")}", directory, null);
        }

        var main = StoreBackends.PostgresConnectionString;
        if (!scratch)
        {
            return new TestStore(main, null, null);
        }

        var name = $"distillml_scratch_{Guid.NewGuid():N}"[..30];
        await using (var connection = new NpgsqlConnection(main))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name};", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new TestStore(new NpgsqlConnectionStringBuilder(main) { Database = name }.ToString(), null, name);
    }

    public Task<ITrialStore> OpenAsync() => TrialStore.OpenAsync(ConnectionString);

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        if (_directory is not null)
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        if (_scratchDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(StoreBackends.PostgresConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_scratchDatabase} WITH (FORCE);", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
