using DistillML.TestSupport;
using DistillML.Tuning.Storage.Tests.Support;

namespace DistillML.Tuning.Storage.Tests;

public sealed class SqliteLockingTests
{
    [Fact]
    public async Task A_SQLite_write_transaction_holds_other_writers_off_from_its_start_until_it_ends()
    {
        await using var test = await TestStore.CreateAsync(StoreBackends.Sqlite);
        await using (await test.OpenAsync())
        {
        }

        await using var dialect = TrialStore.CreateDialect(test.ConnectionString);
        await using var first = await dialect.OpenAsync(default);
        await using var second = await dialect.OpenAsync(default);
        var held = await dialect.BeginWriteAsync(first, default); // BEGIN IMMEDIATE: the lock is taken here, before any statement

        var waiting = Task.Run(() => dialect.BeginWriteAsync(second, default));
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);

        await held.CommitAsync();
        await using var next = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        await next.CommitAsync();
    }
}
