using System.Globalization;
using FusionBot.Requests;
using FusionBot.Storage.Rows;

namespace FusionBot.Storage;

public sealed class RequestHistoryStore(ITableRowStore rows) : IRequestHistoryStore
{
    public async Task AppendAsync(RequestHistoryEvent historyEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(historyEvent);
        // Insert, never upsert: the event's own id (or a fresh one) as suffix, so two events in the same tick both stay
        // and the same event recorded twice stays once.
        var rowKey = RowKey(historyEvent);
        try
        {
            await rows.InsertAsync(StorageTables.RequestHistory, historyEvent.RequestId, rowKey, StorageJson.Serialize(historyEvent), cancellationToken);
        }
        catch (ConcurrencyConflictException) when (historyEvent.Id is not null)
        {
            // Recorded already (a retry after a crash): the event stands once.
        }
    }

    /// <summary>The event's row key in its request's partition: time, then its id (a fresh one when it has none).</summary>
    public static string RowKey(RequestHistoryEvent historyEvent)
    {
        ArgumentNullException.ThrowIfNull(historyEvent);
        return historyEvent.At.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "-" +
            (historyEvent.Id ?? Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture));
    }

    public async Task<int> ReplaceActorAsync(string requestId, Func<Person, bool> matches, Person replacement, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(matches);
        var replaced = 0;
        foreach (var row in await rows.QueryAllAsync(StorageTables.RequestHistory, requestId, RowKeyRange.All, cancellationToken))
        {
            var historyEvent = StorageJson.Deserialize<RequestHistoryEvent>(row.Data);
            if (matches(historyEvent.Actor))
            {
                // ETag-guarded: events are otherwise never rewritten, so a conflict means a second erasure ran at once.
                // The bot's own wording of their step may name them ("promoted by …"); what people typed is left as it is.
                var comment = historyEvent.Actor.Name is { Length: > 0 } name && replacement.Name is { } pseudonym
                    ? historyEvent.Comment?.Replace(name, pseudonym, StringComparison.Ordinal)
                    : historyEvent.Comment;
                await rows.ReplaceAsync(StorageTables.RequestHistory, requestId, row.RowKey,
                    StorageJson.Serialize(historyEvent with { Actor = replacement, Comment = comment }), row.ETag, cancellationToken);
                replaced++;
            }
        }

        return replaced;
    }

    public async Task<IReadOnlyList<RequestHistoryEvent>> ListAsync(string requestId, CancellationToken cancellationToken = default)
    {
        var events = await rows.QueryAllAsync(StorageTables.RequestHistory, requestId, RowKeyRange.All, cancellationToken);
        return [.. events.Select(row => StorageJson.Deserialize<RequestHistoryEvent>(row.Data))];
    }
}
