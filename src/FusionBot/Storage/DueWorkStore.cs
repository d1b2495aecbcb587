using System.Globalization;
using FusionBot.Storage.Rows;

namespace FusionBot.Storage;

/// <summary>
/// Three kinds of rows in one table:
/// "due" / zero-padded due ticks|id — the item with its lease, so a sweep reads only due rows, in due order;
/// "item" / id — the item's state and where its due row is (idempotent enqueue, cancel, the record of failures);
/// "request|{requestId}" / id — the request's items, so cancelling them needs no scan.
/// A claim is an ETag-guarded write of the lease: of two claimers reading the same row, one write loses.
/// </summary>
public sealed class DueWorkStore(ITableRowStore rows) : IDueWorkStore
{
    private const string DuePartition = "due";
    private const string ItemPartition = "item";
    private const int MaxCancelAttempts = 5;
    private const int PurgePageSize = 500;

    public async Task<bool> EnqueueAsync(DueWorkItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        var entry = new ItemEntry(DueWorkState.Pending, DueKey(item.DueAt, item.Id), item.DueAt, item.RequestId);
        try
        {
            await rows.InsertAsync(StorageTables.DueWork, ItemPartition, item.Id, StorageJson.Serialize(entry), cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            await RepairIfHalfEnqueuedAsync(item, cancellationToken);
            return false;
        }

        await WritePendingAsync(item, entry, cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<ClaimedDueWork>> ClaimDueAsync(DateTimeOffset now, int max, TimeSpan lease, string owner, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        var leaseUntil = now + lease;
        var pageSize = Math.Max(max * 2, 20);
        var range = RowKeyRange.Below(Ticks(now.UtcTicks + 1));
        var claimed = new List<ClaimedDueWork>(max);
        while (claimed.Count < max)
        {
            var page = await rows.QueryAsync(StorageTables.DueWork, DuePartition, range, pageSize, cancellationToken);
            foreach (var row in page)
            {
                var entry = StorageJson.Deserialize<DueEntry>(row.Data);
                if (entry.LeaseUntil > now)
                {
                    continue;
                }

                string etag;
                try
                {
                    etag = await rows.ReplaceAsync(StorageTables.DueWork, DuePartition, row.RowKey,
                        StorageJson.Serialize(entry with { LeaseOwner = owner, LeaseUntil = leaseUntil }), row.ETag, cancellationToken);
                }
                catch (ConcurrencyConflictException)
                {
                    // Another claimer took it (or it was completed) between our read and our write.
                    continue;
                }

                if (await IsSettledAsync(entry.Item.Id, cancellationToken))
                {
                    // Completed (or failed) by a claimer that stopped before removing its due row: done is done.
                    await rows.DeleteAsync(StorageTables.DueWork, DuePartition, row.RowKey, etag, cancellationToken);
                    continue;
                }

                claimed.Add(new ClaimedDueWork(entry.Item, owner, leaseUntil, row.RowKey, etag));

                if (claimed.Count == max)
                {
                    break;
                }
            }

            if (page.Count < pageSize)
            {
                break;
            }

            range = range.After(page[^1].RowKey);
        }

        return claimed;
    }

    public async Task<ClaimedDueWork> RenewAsync(ClaimedDueWork claimed, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        var etag = await rows.ReplaceAsync(StorageTables.DueWork, DuePartition, claimed.DueRowKey,
            StorageJson.Serialize(new DueEntry(claimed.Item, claimed.Owner, leaseUntil)), claimed.ETag, cancellationToken);
        return new ClaimedDueWork(claimed.Item, claimed.Owner, leaseUntil, claimed.DueRowKey, etag);
    }

    public async Task CompleteAsync(ClaimedDueWork claimed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        var item = claimed.Item;
        // The tombstone first: should we stop before the due row goes, the item is retried, never lost.
        await rows.UpsertAsync(StorageTables.DueWork, ItemPartition, item.Id,
            StorageJson.Serialize(new ItemEntry(DueWorkState.Completed, claimed.DueRowKey, item.DueAt, item.RequestId)), cancellationToken);
        await RemoveFromDueAsync(claimed, cancellationToken);
    }

    public async Task RetryLaterAsync(ClaimedDueWork claimed, DateTimeOffset nextDueAt, string lastError, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        var item = claimed.Item;
        var current = await rows.GetAsync(StorageTables.DueWork, ItemPartition, item.Id, cancellationToken);
        if (current is null || StorageJson.Deserialize<ItemEntry>(current.Data).State != DueWorkState.Pending)
        {
            // Cancelled while it was being tried: nothing to retry.
            await rows.DeleteAsync(StorageTables.DueWork, DuePartition, claimed.DueRowKey, cancellationToken: cancellationToken);
            return;
        }

        var retry = item with { DueAt = nextDueAt, Attempts = item.Attempts + 1, LastError = lastError };
        var dueKey = DueKey(nextDueAt, item.Id);
        // New due row, then the pointer, then the old row: at every step some due row still holds the item.
        await rows.UpsertAsync(StorageTables.DueWork, DuePartition, dueKey, StorageJson.Serialize(new DueEntry(retry, null, null)), cancellationToken);
        await rows.UpsertAsync(StorageTables.DueWork, ItemPartition, item.Id,
            StorageJson.Serialize(new ItemEntry(DueWorkState.Pending, dueKey, nextDueAt, item.RequestId)), cancellationToken);
        if (dueKey != claimed.DueRowKey)
        {
            await rows.DeleteAsync(StorageTables.DueWork, DuePartition, claimed.DueRowKey, cancellationToken: cancellationToken);
        }
    }

    public async Task FailAsync(ClaimedDueWork claimed, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        var item = claimed.Item with { Attempts = claimed.Item.Attempts + 1, LastError = reason };
        await rows.UpsertAsync(StorageTables.DueWork, ItemPartition, item.Id,
            StorageJson.Serialize(new ItemEntry(DueWorkState.Failed, claimed.DueRowKey, item.DueAt, item.RequestId, item, reason)),
            cancellationToken);
        await RemoveFromDueAsync(claimed, cancellationToken);
    }

    public async Task<bool> CancelAsync(string id, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < MaxCancelAttempts; attempt++)
        {
            var row = await rows.GetAsync(StorageTables.DueWork, ItemPartition, id, cancellationToken);
            if (row is null)
            {
                return false;
            }

            var entry = StorageJson.Deserialize<ItemEntry>(row.Data);
            if (entry.State != DueWorkState.Pending)
            {
                return false;
            }

            await rows.DeleteAsync(StorageTables.DueWork, DuePartition, entry.DueRowKey, cancellationToken: cancellationToken);
            try
            {
                // Guarded: a retry may have moved the item to a new due row meanwhile; then remove that one too.
                await rows.DeleteAsync(StorageTables.DueWork, ItemPartition, id, row.ETag, cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                continue;
            }

            if (entry.RequestId is not null)
            {
                await rows.DeleteAsync(StorageTables.DueWork, RequestPartition(entry.RequestId), id, cancellationToken: cancellationToken);
            }

            return true;
        }

        throw new ConcurrencyConflictException($"Due work {id} kept changing while being cancelled.");
    }

    public async Task<int> CancelForRequestAsync(string requestId, CancellationToken cancellationToken = default)
    {
        var entries = await rows.QueryAllAsync(StorageTables.DueWork, RequestPartition(requestId), RowKeyRange.All, cancellationToken);
        var cancelled = 0;
        foreach (var entry in entries)
        {
            if (await CancelAsync(entry.RowKey, cancellationToken))
            {
                cancelled++;
            }
            else
            {
                // Completed or failed meanwhile: the index entry is all that is left.
                await rows.DeleteAsync(StorageTables.DueWork, RequestPartition(requestId), entry.RowKey, cancellationToken: cancellationToken);
            }
        }

        return cancelled;
    }

    public async Task<DueWorkStatus?> GetStatusAsync(string id, CancellationToken cancellationToken = default)
    {
        var row = await rows.GetAsync(StorageTables.DueWork, ItemPartition, id, cancellationToken);
        if (row is null)
        {
            return null;
        }

        var entry = StorageJson.Deserialize<ItemEntry>(row.Data);
        var item = entry.State switch
        {
            DueWorkState.Pending => await rows.GetAsync(StorageTables.DueWork, DuePartition, entry.DueRowKey, cancellationToken) is { } due
                ? StorageJson.Deserialize<DueEntry>(due.Data).Item
                : null,
            _ => entry.FailedItem,
        };
        return new DueWorkStatus(id, entry.State, item, entry.FailureReason);
    }

    private async Task<bool> IsSettledAsync(string id, CancellationToken cancellationToken) =>
        await rows.GetAsync(StorageTables.DueWork, ItemPartition, id, cancellationToken) is { } row
        && StorageJson.Deserialize<ItemEntry>(row.Data).State != DueWorkState.Pending;

    public async Task<DueWorkBacklog> GetBacklogAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var due = await rows.QueryAsync(StorageTables.DueWork, DuePartition, RowKeyRange.Below(Ticks(now.UtcTicks + 1)), limit, cancellationToken);
        return new DueWorkBacklog(due.Count, due.Count == 0 ? null : DueAtOf(due[0].RowKey));
    }

    public async Task<int> PurgeFinishedAsync(DateTimeOffset dueBefore, int max, string? idPrefix = null, string? exceptPrefix = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        // Item records are keyed by id, not by time: without a prefix this reads the whole partition, page by page.
        var range = idPrefix is { Length: > 0 } ? RowKeyRange.Prefix(idPrefix) : RowKeyRange.All;
        var skip = exceptPrefix is { Length: > 0 } ? RowKeyRange.Prefix(exceptPrefix) : (RowKeyRange?)null;
        var purged = 0;
        while (purged < max)
        {
            var page = await rows.QueryAsync(StorageTables.DueWork, ItemPartition, range, PurgePageSize, cancellationToken);
            string? resumeAt = null;
            foreach (var row in page)
            {
                if (skip is { } excluded && row.RowKey.StartsWith(excluded.From!, StringComparison.Ordinal))
                {
                    // The excluded ids are one key range: continue after it instead of reading it.
                    resumeAt = excluded.To;
                    break;
                }

                var entry = StorageJson.Deserialize<ItemEntry>(row.Data);
                if (entry.State == DueWorkState.Pending || entry.DueAt >= dueBefore)
                {
                    continue;
                }

                try
                {
                    await rows.DeleteAsync(StorageTables.DueWork, ItemPartition, row.RowKey, row.ETag, cancellationToken);
                    purged++;
                }
                catch (ConcurrencyConflictException)
                {
                    // Changed meanwhile (enqueued again after a cancel): it is not an old record any more.
                }

                if (purged == max)
                {
                    return purged;
                }
            }

            if (resumeAt is not null)
            {
                range = range with { From = resumeAt };
                continue;
            }

            if (page.Count < PurgePageSize)
            {
                return purged;
            }

            range = range.After(page[^1].RowKey);
        }

        return purged;
    }

    private static DateTimeOffset DueAtOf(string dueRowKey) =>
        new(long.Parse(dueRowKey.AsSpan(0, 19), NumberStyles.None, CultureInfo.InvariantCulture), TimeSpan.Zero);

    private static string Ticks(long ticks) => ticks.ToString("D19", CultureInfo.InvariantCulture);

    private static string DueKey(DateTimeOffset dueAt, string id) => Ticks(dueAt.UtcTicks) + "|" + id;

    private static string RequestPartition(string requestId) => "request|" + requestId;

    private async Task WritePendingAsync(DueWorkItem item, ItemEntry entry, CancellationToken cancellationToken)
    {
        if (item.RequestId is not null)
        {
            await rows.UpsertAsync(StorageTables.DueWork, RequestPartition(item.RequestId), item.Id, "{}", cancellationToken);
        }

        await rows.UpsertAsync(StorageTables.DueWork, DuePartition, entry.DueRowKey,
            StorageJson.Serialize(new DueEntry(item with { DueAt = entry.DueAt }, null, null)), cancellationToken);
    }

    /// <summary>An enqueue that stopped after its first write left a pending item without a due row: finish it.</summary>
    private async Task RepairIfHalfEnqueuedAsync(DueWorkItem item, CancellationToken cancellationToken)
    {
        var row = await rows.GetAsync(StorageTables.DueWork, ItemPartition, item.Id, cancellationToken);
        if (row is null || StorageJson.Deserialize<ItemEntry>(row.Data) is not { State: DueWorkState.Pending } entry)
        {
            return;
        }

        if (await rows.GetAsync(StorageTables.DueWork, DuePartition, entry.DueRowKey, cancellationToken) is null)
        {
            await WritePendingAsync(item, entry, cancellationToken);
        }
    }

    private async Task RemoveFromDueAsync(ClaimedDueWork claimed, CancellationToken cancellationToken)
    {
        await rows.DeleteAsync(StorageTables.DueWork, DuePartition, claimed.DueRowKey, cancellationToken: cancellationToken);
        if (claimed.Item.RequestId is not null)
        {
            await rows.DeleteAsync(StorageTables.DueWork, RequestPartition(claimed.Item.RequestId), claimed.Item.Id, cancellationToken: cancellationToken);
        }
    }

    private sealed record DueEntry(DueWorkItem Item, string? LeaseOwner, DateTimeOffset? LeaseUntil);

    private sealed record ItemEntry(
        DueWorkState State, string DueRowKey, DateTimeOffset DueAt, string? RequestId,
        DueWorkItem? FailedItem = null, string? FailureReason = null);
}
