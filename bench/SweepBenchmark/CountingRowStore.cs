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
        var elapsed = Stopwatch.GetElapsedTime(started);
        Interlocked.Add(ref _queryTicks, elapsed.Ticks);
        Interlocked.Increment(ref _queries);
        Interlocked.Add(ref _rowsRead, rows.Count);
        Trace($"query {table} {range.From?[..Math.Min(range.From.Length, 24)]}", rows.Count, elapsed);
        return rows;
    }

    public Task<IReadOnlyList<string?>> WriteBatchAsync(string table, string partitionKey, IReadOnlyList<RowWrite> writes, CancellationToken cancellationToken = default) =>
        Point(inner.WriteBatchAsync(table, partitionKey, writes, cancellationToken));

    private async Task<T> Point<T>(Task<T> call, [System.Runtime.CompilerServices.CallerMemberName] string operation = "")
    {
        Interlocked.Increment(ref _pointCalls);
        var started = Stopwatch.GetTimestamp();
        var result = await call;
        Trace(operation, 1, Stopwatch.GetElapsedTime(started));
        return result;
    }

    // SCALE_TRACE=1 prints every call that took 50 ms or more, to see where a slow command spends its time.
    private static readonly bool Tracing = Environment.GetEnvironmentVariable("SCALE_TRACE") == "1";

    private static void Trace(string what, int rows, TimeSpan elapsed)
    {
        if (Tracing && elapsed.TotalMilliseconds >= 50)
        {
            Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"  trace {what}: {rows} rows, {elapsed.TotalMilliseconds:F0} ms"));
        }
    }
}

/// <summary>Store work done between two snapshots.</summary>
internal readonly record struct StoreCounts(long Queries, long RowsRead, TimeSpan QueryTime, long PointCalls)
{
    public static StoreCounts operator -(StoreCounts after, StoreCounts before) => new(
        after.Queries - before.Queries, after.RowsRead - before.RowsRead, after.QueryTime - before.QueryTime, after.PointCalls - before.PointCalls);
}
