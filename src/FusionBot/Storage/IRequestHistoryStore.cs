using FusionBot.Requests;

namespace FusionBot.Storage;

/// <summary>The append-only audit trail of each request: PartitionKey = request id, RowKey = time + unique suffix.</summary>
public interface IRequestHistoryStore
{
    /// <summary>Adds an event; events are never rewritten or removed. An event with an <see cref="RequestHistoryEvent.Id"/> is added once.</summary>
    Task AppendAsync(RequestHistoryEvent historyEvent, CancellationToken cancellationToken = default);

    /// <summary>The request's events in time order.</summary>
    Task<IReadOnlyList<RequestHistoryEvent>> ListAsync(string requestId, CancellationToken cancellationToken = default);
}
