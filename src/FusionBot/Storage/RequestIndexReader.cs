using FusionBot.Requests;
using FusionBot.Storage.Rows;

namespace FusionBot.Storage;

/// <summary>
/// Reads the rows <see cref="RequestIndex"/> keeps for a tenant's requests: its totals (the totals row plus the
/// delta rows written since, folded into the totals row as they are read) and ranges of index rows from their tables.
/// Every read costs what it returns, never the number of requests the tenant holds. Before reading, it completes
/// the index writes that request writes left unfinished (<see cref="RequestIndexWriter.RepairAsync"/>).
/// </summary>
public sealed class RequestIndexReader(ITableRowStore rows, RequestIndexBackfill backfill, RequestIndexWriter writer)
{
    private const int PageSize = 1000;

    // One entity-group transaction holds at most 100 writes: the totals row and 99 folded deltas.
    private const int FoldBatch = 99;
    private const int ConsistentReadAttempts = 3;

    /// <summary>The tenant's totals (<see cref="RequestIndex"/> keys); back-fills the tenant first if it never was.</summary>
    public async Task<IReadOnlyDictionary<string, double>> TotalsAsync(string tenantId, CancellationToken cancellationToken)
    {
        await backfill.EnsureAsync(tenantId, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var totalsRow = await rows.GetAsync(StorageTables.Requests, tenantId, RequestIndex.TotalsKey, cancellationToken);
            var pending = await rows.QueryAllAsync(StorageTables.Requests, tenantId, RequestIndex.PendingRange, cancellationToken);
            await writer.RepairAsync(tenantId, pending, cancellationToken);
            var deltas = pending.Where(r => r.RowKey.StartsWith(RequestIndex.DeltaPrefix, StringComparison.Ordinal)).ToList();
            // A fold between the two reads would count its deltas twice or not at all: read again if the totals moved.
            var again = await rows.GetAsync(StorageTables.Requests, tenantId, RequestIndex.TotalsKey, cancellationToken);
            if (again?.ETag != totalsRow?.ETag && attempt < ConsistentReadAttempts)
            {
                continue;
            }

            var totals = totalsRow is null ? new Dictionary<string, double>(StringComparer.Ordinal) : Totals(totalsRow.Data);
            var sum = new Dictionary<string, double>(totals, StringComparer.Ordinal);
            foreach (var delta in deltas)
            {
                AddAll(sum, Totals(delta.Data));
            }

            await FoldAsync(tenantId, totalsRow, totals, deltas, cancellationToken);
            return sum;
        }
    }

    /// <summary>The version of the tenant's requests: changes with every write of any of them.</summary>
    public async Task<string> VersionAsync(string tenantId, CancellationToken cancellationToken) =>
        (await rows.GetAsync(StorageTables.Requests, tenantId, RequestIndex.VersionKey, cancellationToken))?.ETag ?? "";

    /// <summary>
    /// Back-fills the tenant's index first if it never was (<see cref="RequestIndexBackfill"/>) and completes the index
    /// writes left unfinished, for readers of index rows that do not read the totals.
    /// </summary>
    public async Task EnsureIndexedAsync(string tenantId, CancellationToken cancellationToken)
    {
        await backfill.EnsureAsync(tenantId, cancellationToken);
        await writer.RepairAsync(tenantId,
            await rows.QueryAllAsync(StorageTables.Requests, tenantId, RowKeyRange.Prefix(RequestIndex.DirtyPrefix), cancellationToken), cancellationToken);
    }

    /// <summary>Index rows within <paramref name="range"/> (of one kind: its table is its start's) in key order, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<T>> RowsAsync<T>(string tenantId, RowKeyRange range, int limit, CancellationToken cancellationToken)
    {
        var table = RequestIndex.TableOf(range.From ?? throw new ArgumentException("An index range starts with its kind's prefix.", nameof(range)));
        if (RequestIndex.BucketOf(range.From) is { } firstBucket)
        {
            // The bucket rows from the one holding the range's start; their entries within the range.
            var buckets = await rows.QueryAllAsync(table, tenantId, range with { From = firstBucket }, cancellationToken);
            return [.. buckets
                .SelectMany(b => RequestIndex.Entries(b.Data))
                .Where(e => string.CompareOrdinal(e.Key, range.From) >= 0 && (range.To is null || string.CompareOrdinal(e.Key, range.To) < 0))
                .OrderBy(e => e.Key, StringComparer.Ordinal)
                .Take(limit)
                .Select(e => StorageJson.Deserialize<T>(e.Value))];
        }

        var found = new List<T>();
        while (found.Count < limit)
        {
            var size = Math.Min(PageSize, limit - found.Count);
            var page = await rows.QueryAsync(table, tenantId, range, size, cancellationToken);
            found.AddRange(page.Select(r => StorageJson.Deserialize<T>(r.Data)));
            if (page.Count < size)
            {
                break;
            }

            range = range.After(page[^1].RowKey);
        }

        return found;
    }

    /// <summary>Every index row within <paramref name="range"/>.</summary>
    public Task<IReadOnlyList<T>> AllRowsAsync<T>(string tenantId, RowKeyRange range, CancellationToken cancellationToken) =>
        RowsAsync<T>(tenantId, range, int.MaxValue, cancellationToken);

    /// <summary>
    /// Moves the deltas read into the totals row, 99 at a time, each step one transaction (totals replaced by ETag,
    /// deltas deleted by ETag), so a delta is counted in the totals or stands on its own, never both. Another reader
    /// folding at the same time makes this one stop: the next read folds what is left.
    /// </summary>
    private async Task FoldAsync(string tenantId, TableRow? totalsRow, Dictionary<string, double> totals, IReadOnlyList<TableRow> deltas, CancellationToken cancellationToken)
    {
        var etag = totalsRow?.ETag;
        foreach (var chunk in deltas.Chunk(FoldBatch))
        {
            foreach (var delta in chunk)
            {
                AddAll(totals, Totals(delta.Data));
            }

            var data = StorageJson.Serialize(totals);
            List<RowWrite> writes = [etag is null ? RowWrite.Insert(RequestIndex.TotalsKey, data) : RowWrite.Replace(RequestIndex.TotalsKey, data, etag)];
            writes.AddRange(chunk.Select(d => RowWrite.Delete(d.RowKey, d.ETag)));
            try
            {
                etag = (await rows.WriteBatchAsync(StorageTables.Requests, tenantId, writes, cancellationToken))[0];
            }
            catch (ConcurrencyConflictException)
            {
                return;
            }
        }
    }

    private static Dictionary<string, double> Totals(string data) => StorageJson.Deserialize<Dictionary<string, double>>(data);

    private static void AddAll(Dictionary<string, double> totals, Dictionary<string, double> delta)
    {
        foreach (var (key, value) in delta)
        {
            RequestIndex.Add(totals, key, value);
        }
    }
}
