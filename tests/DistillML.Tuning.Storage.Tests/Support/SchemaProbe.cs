using System.Data.Common;
using DistillML.Tuning.Storage.Sql;

namespace DistillML.Tuning.Storage.Tests.Support;

/// <summary>Raw SQL against a store, for schema tests.</summary>
internal static class SchemaProbe
{
    public static async Task<List<int>> VersionsAsync(string connectionString)
    {
        await using var dialect = TrialStore.CreateDialect(connectionString);
        await using var connection = await dialect.OpenAsync(default);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM schema_version ORDER BY version;";
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<int>();
        while (await reader.ReadAsync())
        {
            versions.Add(Convert.ToInt32(reader.GetValue(0)));
        }

        return versions;
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var dialect = TrialStore.CreateDialect(connectionString);
        await using DbConnection connection = await dialect.OpenAsync(default);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
