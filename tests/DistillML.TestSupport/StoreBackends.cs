namespace DistillML.TestSupport;

/// <summary>
/// The backends every store test runs against: SQLite always; PostgreSQL from DISTILLML_TEST_POSTGRES (a connection
/// string). Without it the PostgreSQL cases fail, unless DISTILLML_SKIP_POSTGRES=1 leaves them out.
/// </summary>
public static class StoreBackends
{
    /// <summary>The SQLite backend (a file in a temp folder).</summary>
    public const string Sqlite = "sqlite";
    /// <summary>The PostgreSQL backend (DISTILLML_TEST_POSTGRES).</summary>
    public const string Postgres = "postgres";

    /// <summary>True when DISTILLML_SKIP_POSTGRES=1 leaves the PostgreSQL cases out.</summary>
    public static bool SkipPostgres => Environment.GetEnvironmentVariable("DISTILLML_SKIP_POSTGRES") == "1";

    /// <summary>xunit member data: every backend to run against.</summary>
    public static IEnumerable<object[]> All()
    {
        yield return [Sqlite];
        if (!SkipPostgres)
        {
            yield return [Postgres];
        }
    }

    /// <summary>The PostgreSQL test server, or an error that says how to start one.</summary>
    public static string PostgresConnectionString =>
        Environment.GetEnvironmentVariable("DISTILLML_TEST_POSTGRES") is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                "The PostgreSQL store tests need a server: set DISTILLML_TEST_POSTGRES to a connection string such as " +
                "\"Host=127.0.0.1;Port=55432;Username=distillml;Password=distillml;Database=distillml_test\" " +
                "(tests/scripts/start-postgres.sh starts one and prints it), or set DISTILLML_SKIP_POSTGRES=1 to leave these tests out.");
}
