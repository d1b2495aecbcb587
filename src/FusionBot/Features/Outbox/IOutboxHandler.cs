using FusionBot.Storage;

namespace FusionBot.Features.Outbox;

/// <summary>
/// Carries out one kind of outbox item. Throwing means "not done": a permanent <see cref="Protocol.Connector.ConnectorException"/>
/// (blocked, gone) fails the item for good, anything else retries it later. Handlers may run twice for one item
/// after a crash, so what they send should be safe to repeat or checked against the stored request first.
/// </summary>
public interface IOutboxHandler
{
    string Kind { get; }

    Task HandleAsync(DueWorkItem item, CancellationToken cancellationToken);

    /// <summary>Called once when the item is given up, to record why (e.g. on the request). Default: nothing.</summary>
    Task OnFailedAsync(DueWorkItem item, string reason, CancellationToken cancellationToken) => Task.CompletedTask;
}
