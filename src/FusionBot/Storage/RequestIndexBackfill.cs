using System.Collections.Concurrent;
using FusionBot.Requests;
using FusionBot.Storage.Rows;
using Microsoft.Extensions.Logging;

namespace FusionBot.Storage;

/// <summary>
/// Fills in, once per tenant, what rows stored by earlier versions lack. Rows stored before <see cref="RequestIndex"/>:
/// each request's <see cref="RequestMilestones"/> from its history, and its index rows and totals (written by the store
/// with the request); each such request is rewritten with its ETag, so it is indexed once however many instances
/// back-fill at the same time, and a transition racing the back-fill simply wins and is read again. Rows indexed when
/// the index lived in the requests table: each page's index rows written into their tables from the requests as read
/// (<see cref="RequestIndexWriter.WriteManyAsync"/>, safe to repeat and to race), the history events' rows copied
/// (facts that never change), and then the old rows removed. When every request of the tenant is done, a marker row
/// says so; readers back-fill a tenant without one before they read.
/// </summary>
public sealed partial class RequestIndexBackfill(
    IRequestStore requests, IRequestHistoryStore history, ITableRowStore rows, RequestIndexWriter writer, ILogger<RequestIndexBackfill> logger)
{
    private const int PageSize = 500;
    private const int InFlight = 8;
    private const int MaxAttempts = 5;
    private const int MaxBatch = 100;

    private readonly ConcurrentDictionary<string, bool> _done = new(StringComparer.Ordinal);

    /// <summary>Back-fills the tenant unless that is known to be done.</summary>
    public async Task EnsureAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (_done.ContainsKey(tenantId))
        {
            return;
        }

        if (await rows.GetAsync(StorageTables.Requests, tenantId, RequestIndex.BackfilledKey, cancellationToken) is null)
        {
            await RunAsync(tenantId, cancellationToken);
        }

        _done[tenantId] = true;
    }

    /// <summary>Indexes every request of the tenant that is not yet, then sets the marker. Returns how many it changed.</summary>
    public async Task<int> RunAsync(string tenantId, CancellationToken cancellationToken)
    {
        var changed = 0;
        string? after = null;
        while (true)
        {
            var page = await requests.ListAsync(tenantId, PageSize, after, cancellationToken);
            var previous = after;
            await writer.WriteManyAsync(tenantId, [.. page.Where(r => !NeedsIndex(r))],
                () => requests.ListAsync(tenantId, PageSize, previous, cancellationToken), cancellationToken);
            await Parallel.ForEachAsync(page.Where(NeedsIndex), new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = cancellationToken },
                async (request, ct) =>
                {
                    if (await FillAsync(request, ct))
                    {
                        Interlocked.Increment(ref changed);
                    }
                });
            if (page.Count < PageSize)
            {
                break;
            }

            after = page[^1].Id;
        }

        await RemoveRequestsTableRowsAsync(tenantId, cancellationToken);
        await rows.UpsertAsync(StorageTables.Requests, tenantId, RequestIndex.BackfilledKey, "{}", cancellationToken);
        if (changed > 0)
        {
            LogBackfilled(logger, changed);
        }

        return changed;
    }

    private static bool NeedsIndex(GovernanceRequest request) => request.Milestones is null || request.Indexed is null;

    private async Task<bool> FillAsync(GovernanceRequest? request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; request is not null && NeedsIndex(request); attempt++)
        {
            var milestones = request.Milestones;
            if (milestones is null)
            {
                var stored = await history.ListAsync(request.Id, cancellationToken);
                var known = stored.Select(e => e.Id).OfType<string>().ToHashSet(StringComparer.Ordinal);
                var pending = request.Pending.SelectMany(p => p.Events).Where(e => e.Id is null || !known.Contains(e.Id));
                milestones = RequestMilestones.From(stored.Concat(pending), request.Tier);
                // The digest reads the week's events from the index; the store adds rows only for events recorded from now on.
                await writer.UpsertAsync(request.TenantId,
                    stored.Where(RequestIndex.Counted).Select(RequestIndex.Event).Select(e => new RequestIndex.KeyedRow(e.Key, e.Data)), cancellationToken);
            }

            try
            {
                await requests.UpdateAsync(request with { Milestones = milestones }, cancellationToken);
                return true;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                request = await requests.GetAsync(request.TenantId, request.Id, cancellationToken);
            }
        }

        return false;
    }

    /// <summary>
    /// The per-request index rows an earlier version kept in the requests table: the events' rows copied into their table
    /// first (the only ones not derived from the request), then all removed, a transaction of rows as read at a time.
    /// Another instance removing them too makes a transaction fail: the rows are read again.
    /// </summary>
    private async Task RemoveRequestsTableRowsAsync(string tenantId, CancellationToken cancellationToken)
    {
        foreach (var prefix in RequestIndex.Kinds.Select(k => k.Prefix))
        {
            while (await rows.QueryAsync(StorageTables.Requests, tenantId, RowKeyRange.Prefix(prefix), PageSize, cancellationToken) is { Count: > 0 } page)
            {
                if (prefix == RequestIndex.EventPrefix)
                {
                    await writer.UpsertAsync(tenantId, page.Select(r => new RequestIndex.KeyedRow(r.RowKey, r.Data)), cancellationToken);
                }

                await Parallel.ForEachAsync(page.Chunk(MaxBatch), new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = cancellationToken },
                    async (chunk, ct) =>
                    {
                        try
                        {
                            await rows.WriteBatchAsync(StorageTables.Requests, tenantId, [.. chunk.Select(r => RowWrite.Delete(r.RowKey, r.ETag))], ct);
                        }
                        catch (ConcurrencyConflictException)
                        {
                            // Removed (in part) by another instance; what is left is read again.
                        }
                    });
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Back-filled the report index of {Count} request(s) of a tenant")]
    private static partial void LogBackfilled(ILogger logger, int count);
}
