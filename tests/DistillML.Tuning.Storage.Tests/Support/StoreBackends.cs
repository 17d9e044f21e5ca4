namespace DistillML.Tuning.Storage.Tests.Support;

/// <summary>
/// The backends every store test runs against: SQLite always; PostgreSQL from DISTILLML_TEST_POSTGRES (a connection
/// string). Without it the PostgreSQL cases fail, unless DISTILLML_SKIP_POSTGRES=1 leaves them out.
/// </summary>
public static class StoreBackends
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static bool SkipPostgres => Environment.GetEnvironmentVariable("DISTILLML_SKIP_POSTGRES") == "1";

    public static IEnumerable<object[]> All()
    {
        yield return [Sqlite];
        if (!SkipPostgres)
        {
            yield return [Postgres];
        }
    }

    public static string PostgresConnectionString =>
        Environment.GetEnvironmentVariable("DISTILLML_TEST_POSTGRES") is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                "The PostgreSQL store tests need a server: set DISTILLML_TEST_POSTGRES to a connection string such as " +
                "\"Host=127.0.0.1;Port=55432;Username=distillml;Password=distillml;Database=distillml_test\" " +
                "(tests/scripts/start-postgres.sh starts one and prints it), or set DISTILLML_SKIP_POSTGRES=1 to leave these tests out.");
}
