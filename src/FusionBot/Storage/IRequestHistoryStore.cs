using FusionBot.Requests;

namespace FusionBot.Storage;

/// <summary>The append-only audit trail of each request: PartitionKey = request id, RowKey = time + unique suffix.</summary>
public interface IRequestHistoryStore
{
    /// <summary>Adds an event; events are never rewritten or removed. An event with an <see cref="RequestHistoryEvent.Id"/> is added once.</summary>
    Task AppendAsync(RequestHistoryEvent historyEvent, CancellationToken cancellationToken = default);

    /// <summary>
    /// The one rewrite of the audit trail, for an erasure: every event whose actor <paramref name="matches"/> gets
    /// <paramref name="replacement"/> as its actor (and in its comment, their recorded name), keeping its row, time, action and
    /// statuses. Returns how many.
    /// </summary>
    Task<int> ReplaceActorAsync(string requestId, Func<Person, bool> matches, Person replacement, CancellationToken cancellationToken = default);

    /// <summary>The request's events in time order.</summary>
    Task<IReadOnlyList<RequestHistoryEvent>> ListAsync(string requestId, CancellationToken cancellationToken = default);
}
