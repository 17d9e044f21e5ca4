using DistillML.TestSupport;
using DistillML.Tuning.Storage.Sql;
using DistillML.Tuning.Storage.Tests.Support;
using StoreWorker;

namespace DistillML.Tuning.Storage.Tests;

public sealed class SchemaTests
{
    [Theory]
    [MemberData(nameof(StoreBackends.All), MemberType = typeof(StoreBackends))]
    public async Task An_older_store_is_migrated_and_keeps_its_trials(string backend)
    {
        await using var test = await TestStore.CreateAsync(backend, scratch: true);
        var study = TestStore.UniqueStudy();
        await using (var v1 = await SqlTrialStore.OpenAsync(TrialStore.CreateDialect(test.ConnectionString), default, targetVersion: 1))
        {
            await v1.CreateOrOpenStudyAsync(FakeProblem.Study(study));
            var trial = await v1.ClaimNextTrialAsync(study, "w", Proposals.ByNumber);
            await v1.FinishTrialAsync(study, trial!.Number, "w", trial.Completed(Proposals.Metrics(0.25)));
            Assert.Equal([1], await SchemaProbe.VersionsAsync(test.ConnectionString));
        }

        await using var store = await test.OpenAsync();

        Assert.Equal([1, 2], await SchemaProbe.VersionsAsync(test.ConnectionString));
        Assert.Equal(0.25, (await store.GetTrialAsync(study, 0))!.Metrics["loss"]);
    }

    [Theory]
    [MemberData(nameof(StoreBackends.All), MemberType = typeof(StoreBackends))]
    public async Task A_newer_store_is_refused_with_an_error_naming_versions_and_store(string backend)
    {
        await using var test = await TestStore.CreateAsync(backend, scratch: true);
        await using (await test.OpenAsync())
        {
        }

        await SchemaProbe.ExecuteAsync(test.ConnectionString, "INSERT INTO schema_version (version, applied_ms) VALUES (99, 0);");

        var e = await Assert.ThrowsAsync<TrialStoreSchemaException>(test.OpenAsync);
        Assert.Equal((99, SchemaMigrations.CurrentVersion), (e.FoundVersion, e.SupportedVersion));
        Assert.Contains("schema version 99", e.Message);
        Assert.Contains(backend == StoreBackends.Sqlite ? "SQLite file" : "PostgreSQL database", e.Message);
    }

    [Theory]
    [MemberData(nameof(StoreBackends.All), MemberType = typeof(StoreBackends))]
    public async Task Opening_a_store_many_times_at_once_creates_the_schema_once(string backend)
    {
        await using var test = await TestStore.CreateAsync(backend, scratch: true);

        var stores = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(test.OpenAsync)));
        foreach (var s in stores)
        {
            await s.DisposeAsync();
        }

        Assert.Equal([1, 2], await SchemaProbe.VersionsAsync(test.ConnectionString));
    }
}
