using System.Globalization;
using FusionBot.Requests;
using FusionBot.Storage.Rows;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FusionBot.Storage;

/// <summary>
/// Ids come from one counter row bumped with an ETag-guarded write (retried on conflict), so they are unique
/// across instances. A maker index row (tenant|maker, newest first) is written before the request itself:
/// an index row whose request never landed is skipped when listing, while a request is never unlisted.
/// </summary>
public sealed partial class RequestStore(ITableRowStore rows, ILogger<RequestStore>? logger = null) : IRequestStore
{
    private readonly RequestIndexWriter _index = new(rows);

    private const string CounterPartition = "requests";
    private const string CounterRow = "next";

    /// <summary>The partition of the counters table that lists the tenants with requests (row key = tenant id), for the request retention.</summary>
    public const string TenantsPartition = "tenants";
    private const int MaxAllocationAttempts = 200;

    public async Task<GovernanceRequest> CreateAsync(GovernanceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var number = TryParseId(request.Id, out var reserved) ? reserved : await AllocateNumberAsync(cancellationToken);
        var stored = request with { Id = FormatId(number), ETag = null, Indexed = null };
        await rows.UpsertAsync(StorageTables.RequestCounters, TenantsPartition, stored.TenantId, "{}", cancellationToken);
        await rows.UpsertAsync(
            StorageTables.RequestsByMaker, MakerPartition(stored.TenantId, stored.Maker.Id), NewestFirst(number),
            StorageJson.Serialize(new MakerIndexEntry(stored.Id)), cancellationToken);
        return await WriteAsync(stored, null, cancellationToken);
    }

    public async Task<string> NewIdAsync(CancellationToken cancellationToken = default) =>
        FormatId(await AllocateNumberAsync(cancellationToken));

    public async Task<GovernanceRequest?> GetAsync(string tenantId, string id, CancellationToken cancellationToken = default)
    {
        var row = await rows.GetAsync(StorageTables.Requests, tenantId, id, cancellationToken);
        return row is null ? null : ToRequest(row);
    }

    public async Task<GovernanceRequest> UpdateAsync(GovernanceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ETag is null)
        {
            throw new ArgumentException("An update needs the ETag of the request as read.", nameof(request));
        }

        return await WriteAsync(request, request.ETag, cancellationToken);
    }

    /// <summary>
    /// One transaction in the tenant's partition: the request row, its change to the tenant's totals as one delta row,
    /// the version row, and a journal row for its per-request index rows (<see cref="RequestIndex"/>: what no longer
    /// applies, the events to add). The index rows are then written into their tables (<see cref="RequestIndexWriter"/>),
    /// which removes the journal row; should that fail, the write still stands and the journal row gets it repaired.
    /// </summary>
    private async Task<GovernanceRequest> WriteAsync(GovernanceRequest request, string? etag, CancellationToken cancellationToken)
    {
        var (indexRows, totals) = RequestIndex.Derive(request);
        var entry = new RequestIndexEntry([.. indexRows.Select(r => r.Key)], totals);
        var stored = request with { Indexed = entry, ETag = null };
        var data = StorageJson.Serialize(stored);
        var keys = entry.Keys.ToHashSet(StringComparer.Ordinal);
        var journal = new RequestIndex.IndexJournal(stored.Id,
            [.. (request.Indexed?.Keys ?? []).Where(k => !keys.Contains(k))],
            [.. RequestIndex.EventRows(request).Select(r => new RequestIndex.KeyedRow(r.Key, r.Data))]);
        var journalKey = RequestIndex.DirtyPrefix + stored.Id + "|" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
        List<RowWrite> writes =
        [
            etag is null ? RowWrite.Insert(stored.Id, data) : RowWrite.Replace(stored.Id, data, etag),
            RowWrite.Upsert(RequestIndex.VersionKey, "{}"),
            RowWrite.Insert(journalKey, StorageJson.Serialize(journal)),
        ];
        var delta = RequestIndex.Difference(request.Indexed?.Totals, totals);
        if (delta.Count > 0)
        {
            writes.Add(RowWrite.Insert(RequestIndex.DeltaPrefix + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture), StorageJson.Serialize(delta)));
        }

        var etags = await rows.WriteBatchAsync(StorageTables.Requests, stored.TenantId, writes, cancellationToken);
        stored = stored with { ETag = etags[0] ?? throw new InvalidOperationException("The store returned no ETag for the request.") };
        try
        {
            await _index.CompleteAsync(stored, journal, journalKey, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The request is written; its journal row stays until a reader repairs the index from it.
            LogIndexDeferred(logger, stored.Id, exception);
        }

        return stored;
    }

    public async Task<IReadOnlyList<GovernanceRequest>> ListByMakerAsync(string tenantId, string makerId, int limit, CancellationToken cancellationToken = default)
    {
        var entries = await rows.QueryAsync(
            StorageTables.RequestsByMaker, MakerPartition(tenantId, makerId), RowKeyRange.All, limit, cancellationToken);
        var requests = await Task.WhenAll(entries.Select(entry =>
            GetAsync(tenantId, StorageJson.Deserialize<MakerIndexEntry>(entry.Data).Id, cancellationToken)));
        return [.. requests.OfType<GovernanceRequest>()];
    }

    public async Task MoveMakerIndexAsync(string tenantId, string requestId, string fromMakerId, string toMakerId, CancellationToken cancellationToken = default)
    {
        if (!TryParseId(requestId, out var number))
        {
            throw new ArgumentException($"{requestId} is not a request id.", nameof(requestId));
        }

        // The new entry first: the request is listed under one of the two at every moment.
        await rows.UpsertAsync(StorageTables.RequestsByMaker, MakerPartition(tenantId, toMakerId), NewestFirst(number),
            StorageJson.Serialize(new MakerIndexEntry(requestId)), cancellationToken);
        await rows.DeleteAsync(StorageTables.RequestsByMaker, MakerPartition(tenantId, fromMakerId), NewestFirst(number), cancellationToken: cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ListIdsByMakerAsync(string tenantId, string makerId, CancellationToken cancellationToken = default)
    {
        var entries = await rows.QueryAllAsync(StorageTables.RequestsByMaker, MakerPartition(tenantId, makerId), RowKeyRange.All, cancellationToken);
        return [.. entries.Select(entry => StorageJson.Deserialize<MakerIndexEntry>(entry.Data).Id)];
    }

    public async Task<IReadOnlyList<GovernanceRequest>> ListAsync(string tenantId, int limit, string? afterId = null, CancellationToken cancellationToken = default)
    {
        var range = afterId is null ? RequestRows : RequestRows.After(afterId);
        var page = await rows.QueryAsync(StorageTables.Requests, tenantId, range, limit, cancellationToken);
        return [.. page.Select(ToRequest)];
    }

    /// <summary>The request rows of a tenant's partition, without the index rows beside them.</summary>
    private static RowKeyRange RequestRows => RowKeyRange.Prefix("FR-");

    private static GovernanceRequest ToRequest(TableRow row) =>
        StorageJson.Deserialize<GovernanceRequest>(row.Data) with { ETag = row.ETag };

    public static string FormatId(long number) => "FR-" + number.ToString("D6", CultureInfo.InvariantCulture);

    private static bool TryParseId(string? id, out long number)
    {
        number = 0;
        return id is not null && id.StartsWith("FR-", StringComparison.Ordinal)
            && long.TryParse(id.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out number) && number > 0;
    }

    private static string MakerPartition(string tenantId, string makerId) => tenantId + "|" + makerId;

    /// <summary>Where the maker index lists <paramref name="requestId"/> under <paramref name="makerId"/>: partition and row key.</summary>
    public static (string Partition, string RowKey) MakerIndexKey(string tenantId, string makerId, string requestId) =>
        TryParseId(requestId, out var number)
            ? (MakerPartition(tenantId, makerId), NewestFirst(number))
            : throw new ArgumentException($"{requestId} is not a request id.", nameof(requestId));

    private static string NewestFirst(long number) => (long.MaxValue - number).ToString("D19", CultureInfo.InvariantCulture);

    private async Task<long> AllocateNumberAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAllocationAttempts; attempt++)
        {
            var counter = await rows.GetAsync(StorageTables.RequestCounters, CounterPartition, CounterRow, cancellationToken);
            try
            {
                if (counter is null)
                {
                    await rows.InsertAsync(StorageTables.RequestCounters, CounterPartition, CounterRow,
                        StorageJson.Serialize(new Counter(1)), cancellationToken);
                    return 1;
                }

                var next = StorageJson.Deserialize<Counter>(counter.Data).Last + 1;
                await rows.ReplaceAsync(StorageTables.RequestCounters, CounterPartition, CounterRow,
                    StorageJson.Serialize(new Counter(next)), counter.ETag, cancellationToken);
                return next;
            }
            catch (ConcurrencyConflictException)
            {
                // Another creator took this number: back off a little, with jitter so the losers spread out.
#pragma warning disable CA5394 // Jitter, not security.
                await Task.Delay(Random.Shared.Next(0, Math.Min(2 << Math.Min(attempt, 5), 50)), cancellationToken);
#pragma warning restore CA5394
            }
        }

        throw new ConcurrencyConflictException($"Could not allocate a request id after {MaxAllocationAttempts} attempts.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} is written; its report index rows are left to the repair")]
    private static partial void LogIndexDeferredCore(ILogger logger, string requestId, Exception exception);

    private static void LogIndexDeferred(ILogger? logger, string requestId, Exception exception) =>
        LogIndexDeferredCore(logger ?? NullLogger.Instance, requestId, exception);

    private sealed record Counter(long Last);

    private sealed record MakerIndexEntry(string Id);
}
