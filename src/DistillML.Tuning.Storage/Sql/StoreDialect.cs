using System.Data.Common;

namespace DistillML.Tuning.Storage.Sql;

/// <summary>What differs between the SQL backends; everything else is shared SQL.</summary>
internal abstract class StoreDialect : IAsyncDisposable
{
    /// <summary>The store for messages, without password.</summary>
    public abstract string Description { get; }

    /// <summary>The DDL of an auto-numbered 64-bit primary key column.</summary>
    public abstract string IdColumn { get; }

    /// <summary>An SQL expression for the store's clock in Unix milliseconds.</summary>
    public abstract string NowMs { get; }

    /// <summary>The suffix of a SELECT that locks the selected study row for the transaction ("" where the whole database is locked).</summary>
    public abstract string ForUpdate { get; }

    /// <summary>SQL run first in the migration transaction so that concurrent openers migrate one at a time ("" if none is needed).</summary>
    public virtual string SchemaLockSql => string.Empty;

    /// <summary>Opens a ready connection.</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Starts a transaction that will write (SQLite: BEGIN IMMEDIATE, so writers queue instead of deadlocking).</summary>
    public abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Starts a read-only transaction that sees one snapshot.</summary>
    public abstract Task<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Once per store, before migrations (SQLite: WAL journal).</summary>
    public virtual Task PrepareDatabaseAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Whether an exception is the database saying "another transaction wrote first; try again".</summary>
    public virtual bool IsTransient(Exception e) => false;

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();
}
