namespace FusionBot.Storage.Rows;

/// <summary>
/// Key/value rows with ETags, the one primitive every typed store is built on. Implemented by Azure Table Storage
/// and by an embedded SQLite file. Every conditional failure throws <see cref="ConcurrencyConflictException"/>.
/// </summary>
public interface ITableRowStore
{
    /// <summary>Where the rows live, for logs; never contains a secret.</summary>
    string Description { get; }

    /// <summary>Creates the tables if missing. Idempotent; the other members call it lazily too.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    Task<TableRow?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken = default);

    /// <summary>Adds a row; conflict when it exists. Returns the new ETag.</summary>
    Task<string> InsertAsync(string table, string partitionKey, string rowKey, string data, CancellationToken cancellationToken = default);

    /// <summary>Replaces a row whose ETag is still <paramref name="etag"/>; conflict when changed or gone.</summary>
    Task<string> ReplaceAsync(string table, string partitionKey, string rowKey, string data, string etag, CancellationToken cancellationToken = default);

    /// <summary>Writes a row whether or not it exists. Returns the new ETag.</summary>
    Task<string> UpsertAsync(string table, string partitionKey, string rowKey, string data, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a row. With an ETag: conflict when the row changed or is gone. Without: returns false when it was absent.
    /// </summary>
    Task<bool> DeleteAsync(string table, string partitionKey, string rowKey, string? etag = null, CancellationToken cancellationToken = default);

    /// <summary>Rows of one partition within <paramref name="range"/>, in ascending row key order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<TableRow>> QueryAsync(string table, string partitionKey, RowKeyRange range, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes rows of ONE partition all or nothing (a Table Storage entity-group transaction, at most 100 writes; one
    /// SQLite transaction). Conflict when any insert finds its row, any ETag is stale or a deleted row is gone.
    /// Returns each write's new ETag (null for a delete), in order.
    /// </summary>
    Task<IReadOnlyList<string?>> WriteBatchAsync(string table, string partitionKey, IReadOnlyList<RowWrite> writes, CancellationToken cancellationToken = default);
}
