using FusionBot.Storage;
using FusionBot.Storage.Rows;

namespace FusionBot.Requests;

/// <summary>What a feature keeps about a request outside <c>Requests/</c> (a backlog item's row, deployment gates), deleted with the request.</summary>
public interface IRequestRecords
{
    /// <summary>Deletes the feature's rows of <paramref name="request"/>; safe to repeat.</summary>
    Task ForgetAsync(GovernanceRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// Deletes requests that reached a final state (<see cref="RequestLifecycle.IsFinal"/>) before a cut-off, with everything
/// stored about them, when <c>Retention:Requests</c> is set. Candidates come from the report index's final rows
/// (<see cref="RequestIndex.FinalPrefix"/> in their index table, by the time of the last transition), never from a scan
/// of the requests. One purge is:
/// <list type="number">
/// <item>one transaction in the tenant's partition of the requests table: the request row (by its ETag, so a request that
/// moved on meanwhile stays), its index journal rows, a delta row subtracting its share of the totals, the version row, and
/// a note holding the request and its index rows (<see cref="PurgingPrefix"/>): the totals never count a request that is
/// gone or miss one that is not;</item>
/// <item>from the note: its index rows in their tables and bucket rows (<see cref="RequestIndexWriter.RemoveAsync"/>) with
/// the rows of its history events, the person and maker index rows, solution links, component uses, pending outbox work,
/// the features' rows (<see cref="IRequestRecords"/>), the tenant's prepared export files, the history; then the note.
/// Every step is safe to repeat: a run that dies in between finds the note first next time and finishes.</item>
/// </list>
/// </summary>
public sealed class RequestRetention(
    ITableRowStore rows,
    IRequestStore requests,
    IRequestHistoryStore history,
    IDueWorkStore dueWork,
    IChannelRoutingStore channels,
    IComponentCatalogueStore catalogue,
    PersonRequestIndex people,
    RequestIndexWriter index,
    RequestIndexBackfill backfill,
    IEnumerable<IRequestRecords> records)
{
    public const string PurgingPrefix = RequestIndex.Prefix + "purging|";

    /// <summary>Where the one-time indexing of requests that were final before the final rows existed got to.</summary>
    public const string FinalIndexedKey = RequestIndex.Prefix + "finalindexed";

    // One entity-group transaction: the request, the delta, the version, the note and at most this many journal rows.
    private const int JournalRowsInTransaction = 96;
    private const int BatchLimit = 100;

    /// <summary>
    /// Purges requests final since before <paramref name="finalBefore"/>, at most <paramref name="max"/> requests (an
    /// interrupted purge and a request looked at to index it count too). Returns how many it handled.
    /// </summary>
    public async Task<int> PurgeAsync(DateTimeOffset finalBefore, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        var handled = 0;
        foreach (var tenant in await TenantsAsync(cancellationToken))
        {
            // Final rows an earlier version kept in the requests table are read from the index table once moved there.
            await backfill.EnsureAsync(tenant, cancellationToken);
            handled += await FinishInterruptedAsync(tenant, max - handled, cancellationToken);
            if (handled < max)
            {
                handled += await IndexFinalAsync(tenant, max - handled, cancellationToken);
            }

            if (handled < max)
            {
                handled += await PurgeFinalAsync(tenant, finalBefore, max - handled, cancellationToken);
            }

            if (handled >= max)
            {
                break;
            }
        }

        return handled;
    }

    /// <summary>Tenants that created a request (listed since this version) or registered a channel (every tenant of earlier versions that had reviews).</summary>
    private async Task<IReadOnlyList<string>> TenantsAsync(CancellationToken cancellationToken)
    {
        var listed = await rows.QueryAllAsync(StorageTables.RequestCounters, RequestStore.TenantsPartition, RowKeyRange.All, cancellationToken);
        return [.. listed.Select(r => r.RowKey).Union(await channels.TenantsAsync(cancellationToken), StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private async Task<int> FinishInterruptedAsync(string tenant, int max, CancellationToken cancellationToken)
    {
        var notes = await rows.QueryAsync(StorageTables.Requests, tenant, RowKeyRange.Prefix(PurgingPrefix), max, cancellationToken);
        foreach (var note in notes)
        {
            await ForgetAsync(tenant, note.RowKey, StorageJson.Deserialize<PurgeNote>(note.Data), cancellationToken);
        }

        return notes.Count;
    }

    /// <summary>
    /// Requests stored final by an earlier version have no final row until written again: once per tenant, each one is
    /// rewritten as it is (the store derives the row), a page at a time, resuming where the marker says.
    /// </summary>
    private async Task<int> IndexFinalAsync(string tenant, int max, CancellationToken cancellationToken)
    {
        var marker = await rows.GetAsync(StorageTables.Requests, tenant, FinalIndexedKey, cancellationToken);
        var progress = marker is null ? new IndexProgress(null, false) : StorageJson.Deserialize<IndexProgress>(marker.Data);
        if (progress.Done)
        {
            return 0;
        }

        var page = await requests.ListAsync(tenant, Math.Min(max, 500), progress.After, cancellationToken);
        foreach (var request in page.Where(r => r.Indexed is { } indexed && RequestLifecycle.IsFinal(r.Status)
            && !indexed.Keys.Any(k => k.StartsWith(RequestIndex.FinalPrefix, StringComparison.Ordinal))))
        {
            try
            {
                await requests.UpdateAsync(request, cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                // Written since it was read: that write derived the row.
            }
        }

        var done = page.Count < Math.Min(max, 500);
        await rows.UpsertAsync(StorageTables.Requests, tenant, FinalIndexedKey,
            StorageJson.Serialize(new IndexProgress(done ? null : page[^1].Id, done)), cancellationToken);
        return page.Count;
    }

    private async Task<int> PurgeFinalAsync(string tenant, DateTimeOffset finalBefore, int max, CancellationToken cancellationToken)
    {
        var due = new RowKeyRange(RequestIndex.FinalPrefix, RequestIndex.FinalPrefix + RequestIndex.Ticks(finalBefore));
        var found = await rows.QueryAsync(RequestIndex.TableOf(RequestIndex.FinalPrefix), tenant, due, max, cancellationToken);
        foreach (var row in found)
        {
            var requestId = StorageJson.Deserialize<RequestIndex.FinalRow>(row.Data).RequestId;
            var request = await requests.GetAsync(tenant, requestId, cancellationToken);
            if (request?.Indexed is null || !request.Indexed.Keys.Contains(row.RowKey))
            {
                // A row left behind (its request purged or moved on, and its writer interrupted) goes alone.
                await index.RemoveAsync(tenant, [row.RowKey], cancellationToken);
                continue;
            }

            await PurgeAsync(request, cancellationToken);
        }

        return found.Count;
    }

    private async Task PurgeAsync(GovernanceRequest request, CancellationToken cancellationToken)
    {
        var indexed = request.Indexed!;
        // Journal rows of writes whose index rows may not all be written: what they would remove goes too.
        var journals = await rows.QueryAsync(StorageTables.Requests, request.TenantId,
            RowKeyRange.Prefix(RequestIndex.DirtyPrefix + request.Id + "|"), JournalRowsInTransaction, cancellationToken);
        var stale = journals.SelectMany(j => StorageJson.Deserialize<RequestIndex.IndexJournal>(j.Data).Stale);
        var noteKey = PurgingPrefix + request.Id;
        var note = new PurgeNote(request with { Indexed = null }, [.. indexed.Keys.Concat(stale).Distinct(StringComparer.Ordinal)]);
        List<RowWrite> writes = [RowWrite.Delete(request.Id, request.ETag), RowWrite.Upsert(RequestIndex.VersionKey, "{}"), RowWrite.Upsert(noteKey, StorageJson.Serialize(note))];
        writes.AddRange(journals.Select(j => RowWrite.Delete(j.RowKey)));
        var subtracted = RequestIndex.Difference(indexed.Totals, new Dictionary<string, double>());
        if (subtracted.Count > 0)
        {
            writes.Add(RowWrite.Insert(RequestIndex.DeltaPrefix + Guid.NewGuid().ToString("N"), StorageJson.Serialize(subtracted)));
        }

        try
        {
            await rows.WriteBatchAsync(StorageTables.Requests, request.TenantId, writes, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            // It changed since it was read (a transition, a periodic review): it is no longer this old, or it is next time.
            return;
        }

        await ForgetAsync(request.TenantId, noteKey, note, cancellationToken);
    }

    private async Task ForgetAsync(string tenant, string noteKey, PurgeNote note, CancellationToken cancellationToken)
    {
        var request = note.Request;
        // Events of a transition not yet settled may have their index rows already (from the request's journal).
        var events = (await history.ListAsync(request.Id, cancellationToken)).Concat(request.Pending.SelectMany(p => p.Events)).ToList();
        await index.RemoveAsync(tenant, note.IndexKeys.Concat(events.Where(RequestIndex.Counted).Select(e => RequestIndex.Event(e).Key)), cancellationToken);

        var persons = new[] { request.Maker, request.Reviewer }.Concat(events.Select(e => e.Actor)).OfType<Person>()
            .SelectMany(p => new[] { PersonRequestIndex.KeyOf(p), p.Id }).Distinct(StringComparer.Ordinal);
        foreach (var person in persons)
        {
            await people.RemoveAsync(tenant, person, request.Id, cancellationToken);
        }

        var (makerPartition, makerRow) = RequestStore.MakerIndexKey(tenant, request.Maker.Id, request.Id);
        await rows.DeleteAsync(StorageTables.RequestsByMaker, makerPartition, makerRow, cancellationToken: cancellationToken);
        foreach (var link in await rows.QueryAllAsync(StorageTables.SolutionLinks, tenant, RowKeyRange.Prefix(request.Id + "|"), cancellationToken))
        {
            var solutionKey = link.RowKey[(request.Id.Length + 1)..];
            if (await rows.GetAsync(StorageTables.SolutionIndex, tenant, solutionKey, cancellationToken) is { } indexRow
                && StorageJson.Deserialize<SolutionIndexRow>(indexRow.Data).RequestId == request.Id)
            {
                await rows.DeleteAsync(StorageTables.SolutionIndex, tenant, solutionKey, indexRow.ETag, cancellationToken);
            }

            await rows.DeleteAsync(StorageTables.SolutionLinks, tenant, link.RowKey, cancellationToken: cancellationToken);
        }

        foreach (var component in await catalogue.ListAsync(tenant, cancellationToken))
        {
            await rows.DeleteAsync(StorageTables.ComponentUses, tenant, $"{component.Id}|{request.Id}", cancellationToken: cancellationToken);
        }

        await dueWork.CancelForRequestAsync(request.Id, cancellationToken);
        foreach (var feature in records)
        {
            await feature.ForgetAsync(request, cancellationToken);
        }

        // Portfolio CSVs list the request; the next `export` prepares them again without it.
        foreach (var file in await rows.QueryAllAsync(StorageTables.Exports, tenant, RowKeyRange.All, cancellationToken))
        {
            await rows.DeleteAsync(StorageTables.Exports, tenant, file.RowKey, cancellationToken: cancellationToken);
        }

        foreach (var chunk in (await rows.QueryAllAsync(StorageTables.RequestHistory, request.Id, RowKeyRange.All, cancellationToken)).Chunk(BatchLimit))
        {
            await rows.WriteBatchAsync(StorageTables.RequestHistory, request.Id, [.. chunk.Select(r => RowWrite.Delete(r.RowKey))], cancellationToken);
        }

        await rows.DeleteAsync(StorageTables.Requests, tenant, noteKey, cancellationToken: cancellationToken);
    }

    /// <param name="Request">The request as it was purged.</param>
    /// <param name="IndexKeys">Its index rows, in their tables (<see cref="RequestIndex.TableOf"/>).</param>
    private sealed record PurgeNote(GovernanceRequest Request, IReadOnlyList<string> IndexKeys);

    private sealed record IndexProgress(string? After, bool Done);

    private sealed record SolutionIndexRow(string RequestId);
}
