using FusionBot.Requests;
using FusionBot.Storage.Rows;
using static FusionBot.Requests.RequestIndex;

namespace FusionBot.Storage;

/// <summary>
/// Writes a request's per-request index rows (<see cref="RequestIndex"/>) into their tables after the request row.
/// Table Storage transactions hold one table's partition, so these rows cannot join the request's transaction; that
/// transaction carries a journal row instead (<see cref="IndexJournal"/>: the rows to remove, the events to add), removed
/// once the rows are written. Every row is derived from the request as stored, so writing them again is harmless: a
/// journal row left behind (a crash, a failed write) is repaired by whoever finds it (<see cref="RepairAsync"/>, on
/// every report's read of the totals). After writing, the request is read again; if it changed meanwhile, its
/// newer rows are written over whatever this write left, so a slow writer never leaves an older request's rows.
/// Rows kept in buckets (<see cref="BucketOf"/>) are entries of their bucket row, changed by read, merge and
/// ETag-guarded write, and only when an entry differs.
/// </summary>
public sealed class RequestIndexWriter(ITableRowStore rows)
{
    // One entity-group transaction holds at most 100 writes; a request's rows of one table are split across as many as it needs.
    private const int MaxBatch = 100;
    private const int MaxRounds = 5;
    private const int MaxMergeAttempts = 50;
    private const int InFlight = 8;

    /// <summary>Writes the rows of <paramref name="written"/> (with the ETag its write returned), then removes the journal row.</summary>
    public async Task CompleteAsync(GovernanceRequest written, IndexJournal journal, string journalKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(written);
        ArgumentNullException.ThrowIfNull(journal);
        await UpsertAsync(written.TenantId, journal.Events, cancellationToken);
        await ConvergeAsync(written, journal.Stale, cancellationToken);
        await rows.DeleteAsync(StorageTables.Requests, written.TenantId, journalKey, cancellationToken: cancellationToken);
    }

    /// <summary>Completes the journal rows in <paramref name="pending"/> (rows of <see cref="PendingRange"/>) that writers left behind.</summary>
    public async Task RepairAsync(string tenantId, IEnumerable<TableRow> pending, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pending);
        foreach (var row in pending.Where(r => r.RowKey.StartsWith(DirtyPrefix, StringComparison.Ordinal)))
        {
            var journal = StorageJson.Deserialize<IndexJournal>(row.Data);
            var request = await ReadAsync(tenantId, journal.RequestId, cancellationToken);
            if (request is not null)
            {
                await UpsertAsync(tenantId, journal.Events, cancellationToken);
                await ConvergeAsync(request, journal.Stale, cancellationToken);
            }

            await rows.DeleteAsync(StorageTables.Requests, tenantId, row.RowKey, cancellationToken: cancellationToken);
        }
    }

    /// <summary>Writes the rows of the request as read (<paramref name="request"/>, with its ETag), e.g. to move them into their tables.</summary>
    public Task WriteAsync(GovernanceRequest request, CancellationToken cancellationToken) => ConvergeAsync(request, [], cancellationToken);

    /// <summary>The index tables in a tenant's partition: every row of <paramref name="keyed"/>, upserted, as few transactions as the tables need.</summary>
    public async Task UpsertAsync(string tenantId, IEnumerable<KeyedRow> keyed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyed);
        var all = keyed.DistinctBy(r => r.Key, StringComparer.Ordinal).ToList();
        var plain = all.Where(r => BucketOf(r.Key) is null).GroupBy(r => TableOf(r.Key)).SelectMany(table => table
            .Chunk(MaxBatch)
            .Select(chunk => rows.WriteBatchAsync(table.Key, tenantId, [.. chunk.Select(r => RowWrite.Upsert(r.Key, r.Data))], cancellationToken)));
        var bucketed = all.Where(r => BucketOf(r.Key) is not null).GroupBy(r => BucketOf(r.Key)!).ToList();
        await Task.WhenAll(plain.Append(Parallel.ForEachAsync(bucketed, new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = cancellationToken },
            async (bucket, ct) => await MergeAsync(tenantId, bucket.Key, bucket.ToDictionary(r => r.Key, r => r.Data, StringComparer.Ordinal), [], ct))));
    }

    /// <summary>
    /// The rows of many requests as read (a back-fill's page), each bucket row merged once for all of them; then
    /// <paramref name="readAgain"/> gives the requests as they are now, and any that changed meanwhile are written again
    /// one by one (<see cref="WriteAsync"/>): a writer that finished before this one must not be left overwritten.
    /// </summary>
    public async Task WriteManyAsync(
        string tenantId, IReadOnlyList<GovernanceRequest> requests, Func<Task<IReadOnlyList<GovernanceRequest>>> readAgain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(readAgain);
        await UpsertAsync(tenantId, requests.SelectMany(r => Derive(r).Rows).Select(r => new KeyedRow(r.Key, r.Data)), cancellationToken);
        var etags = requests.ToDictionary(r => r.Id, r => r.ETag, StringComparer.Ordinal);
        var changed = (await readAgain()).Where(r => etags.TryGetValue(r.Id, out var etag) && etag != r.ETag).ToList();
        await Parallel.ForEachAsync(changed, new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = cancellationToken },
            async (request, ct) => await WriteAsync(request, ct));
    }

    /// <summary>Removes index rows (bucket entries from their bucket rows) wherever their tables keep them; safe to repeat.</summary>
    public async Task RemoveAsync(string tenantId, IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var all = keys.Distinct(StringComparer.Ordinal).ToList();
        var plain = all.Where(k => BucketOf(k) is null).Select(k => rows.DeleteAsync(TableOf(k), tenantId, k, cancellationToken: cancellationToken));
        var bucketed = all.Where(k => BucketOf(k) is not null).GroupBy(k => BucketOf(k)!)
            .Select(bucket => MergeAsync(tenantId, bucket.Key, new Dictionary<string, string>(), [.. bucket], cancellationToken));
        await Task.WhenAll(plain.Concat(bucketed));
    }

    /// <summary>Sets and removes entries of a bucket row: read, merge, written by ETag (again on a conflict), or not at all when nothing differs.</summary>
    private async Task MergeAsync(string tenantId, string bucketKey, Dictionary<string, string> set, IReadOnlyList<string> remove, CancellationToken cancellationToken)
    {
        var table = TableOf(bucketKey);
        for (var attempt = 1; ; attempt++)
        {
            var row = await rows.GetAsync(table, tenantId, bucketKey, cancellationToken);
            var entries = row is null ? new Dictionary<string, string>(StringComparer.Ordinal) : Entries(row.Data);
            var changed = false;
            foreach (var (key, data) in set)
            {
                if (!entries.TryGetValue(key, out var stored) || stored != data)
                {
                    entries[key] = data;
                    changed = true;
                }
            }

            foreach (var key in remove)
            {
                changed |= entries.Remove(key);
            }

            if (!changed)
            {
                return;
            }

            try
            {
                if (row is null)
                {
                    await rows.InsertAsync(table, tenantId, bucketKey, BucketData(entries), cancellationToken);
                }
                else if (entries.Count == 0)
                {
                    await rows.DeleteAsync(table, tenantId, bucketKey, row.ETag, cancellationToken);
                }
                else
                {
                    await rows.ReplaceAsync(table, tenantId, bucketKey, BucketData(entries), row.ETag, cancellationToken);
                }

                return;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxMergeAttempts)
            {
                // Another request's entry landed in the same bucket: merge again, a little later, with jitter.
#pragma warning disable CA5394 // Jitter, not security.
                await Task.Delay(Random.Shared.Next(0, Math.Min(2 << Math.Min(attempt, 5), 50)), cancellationToken);
#pragma warning restore CA5394
            }
        }
    }

    /// <summary>
    /// Writes the request's rows and removes <paramref name="stale"/> ones it does not have, then reads it again: when it
    /// changed meanwhile, does the same for the request as it is now (a later writer may have finished before this one).
    /// </summary>
    private async Task ConvergeAsync(GovernanceRequest request, IReadOnlyList<string> stale, CancellationToken cancellationToken)
    {
        for (var round = 1; ; round++)
        {
            var derived = Derive(request).Rows;
            var keys = derived.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
            await UpsertAsync(request.TenantId, derived.Select(r => new KeyedRow(r.Key, r.Data)), cancellationToken);
            await RemoveAsync(request.TenantId, stale.Where(k => !keys.Contains(k)), cancellationToken);

            var now = await ReadAsync(request.TenantId, request.Id, cancellationToken);
            if (now is null)
            {
                // Purged meanwhile (RequestRetention): whatever this write left must not outlive it.
                await RemoveAsync(request.TenantId, keys, cancellationToken);
                return;
            }

            if (now.ETag == request.ETag || round == MaxRounds)
            {
                // At the last round the request is still changing: its writers are writing its rows.
                return;
            }

            stale = [.. keys];
            request = now;
        }
    }

    private async Task<GovernanceRequest?> ReadAsync(string tenantId, string requestId, CancellationToken cancellationToken)
    {
        var row = await rows.GetAsync(StorageTables.Requests, tenantId, requestId, cancellationToken);
        return row is null ? null : StorageJson.Deserialize<GovernanceRequest>(row.Data) with { ETag = row.ETag };
    }
}
