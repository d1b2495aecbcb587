using System.Diagnostics;
using FusionBot.Storage.Rows;

namespace FusionBot.Bench;

/// <summary>Passes every call through and counts what the sweep asks of the store: range reads, rows they return, and writes.</summary>
internal sealed class CountingRowStore(ITableRowStore inner) : ITableRowStore
{
    private long _queries;
    private long _rowsRead;
    private long _queryTicks;
    private long _pointCalls;

    public string Description => inner.Description;

    public StoreCounts Snapshot() => new(
        Interlocked.Read(ref _queries), Interlocked.Read(ref _rowsRead),
        TimeSpan.FromTicks(Interlocked.Read(ref _queryTicks)), Interlocked.Read(ref _pointCalls));

    public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

    public Task<TableRow?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken = default) =>
        Point(inner.GetAsync(table, partitionKey, rowKey, cancellationToken));

    public Task<string> InsertAsync(string table, string partitionKey, string rowKey, string data, CancellationToken cancellationToken = default) =>
        Point(inner.InsertAsync(table, partitionKey, rowKey, data, cancellationToken));

    public Task<string> ReplaceAsync(string table, string partitionKey, string rowKey, string data, string etag, CancellationToken cancellationToken = default) =>
        Point(inner.ReplaceAsync(table, partitionKey, rowKey, data, etag, cancellationToken));

    public Task<string> UpsertAsync(string table, string partitionKey, string rowKey, string data, CancellationToken cancellationToken = default) =>
        Point(inner.UpsertAsync(table, partitionKey, rowKey, data, cancellationToken));

    public Task<bool> DeleteAsync(string table, string partitionKey, string rowKey, string? etag = null, CancellationToken cancellationToken = default) =>
        Point(inner.DeleteAsync(table, partitionKey, rowKey, etag, cancellationToken));

    public async Task<IReadOnlyList<TableRow>> QueryAsync(string table, string partitionKey, RowKeyRange range, int limit, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var rows = await inner.QueryAsync(table, partitionKey, range, limit, cancellationToken);
        Interlocked.Add(ref _queryTicks, Stopwatch.GetElapsedTime(started).Ticks);
        Interlocked.Increment(ref _queries);
        Interlocked.Add(ref _rowsRead, rows.Count);
        return rows;
    }

    public Task<IReadOnlyList<string?>> WriteBatchAsync(string table, string partitionKey, IReadOnlyList<RowWrite> writes, CancellationToken cancellationToken = default) =>
        Point(inner.WriteBatchAsync(table, partitionKey, writes, cancellationToken));

    private Task<T> Point<T>(Task<T> call)
    {
        Interlocked.Increment(ref _pointCalls);
        return call;
    }
}

/// <summary>Store work done between two snapshots.</summary>
internal readonly record struct StoreCounts(long Queries, long RowsRead, TimeSpan QueryTime, long PointCalls)
{
    public static StoreCounts operator -(StoreCounts after, StoreCounts before) => new(
        after.Queries - before.Queries, after.RowsRead - before.RowsRead, after.QueryTime - before.QueryTime, after.PointCalls - before.PointCalls);
}
