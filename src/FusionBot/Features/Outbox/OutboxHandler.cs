using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.Features.Outbox;

/// <summary>The skeleton every outbox handler shares: its kind, and its item's payload read as <typeparamref name="TPayload"/>.</summary>
public abstract class OutboxHandler<TPayload>(string kind) : IOutboxHandler
{
    string IOutboxHandler.Kind => kind;

    /// <summary>The kind of item this handles (named so, as handlers keep their kind in a public constant <c>Kind</c>).</summary>
    protected string ItemKind => kind;

    public Task HandleAsync(DueWorkItem item, CancellationToken cancellationToken) =>
        HandleAsync(WorkOutbox.Read<TPayload>(item), cancellationToken);

    public Task OnFailedAsync(DueWorkItem item, string reason, CancellationToken cancellationToken) =>
        OnFailedAsync(item.Id, WorkOutbox.Read<TPayload>(item), reason, cancellationToken);

    protected abstract Task HandleAsync(TPayload payload, CancellationToken cancellationToken);

    /// <param name="itemId">The item given up on: a failure reported again for it is recorded once.</param>
    protected virtual Task OnFailedAsync(string itemId, TPayload payload, string reason, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Work about one request: the payloads of <see cref="RequestOutboxHandler{TPayload}"/>.</summary>
public interface IRequestWork
{
    string TenantId { get; }
    string RequestId { get; }
}

/// <summary>
/// Work about one request, decided on the request as stored now (not as it was when the work was queued): skipped when
/// the request is gone or no longer wants it (decided, answered, another cycle), and a send given up on is recorded on
/// the request's history with what it was, so the CoE can see who was never told.
/// </summary>
public abstract partial class RequestOutboxHandler<TPayload>(string kind, IRequestStore requests, NotificationFailures failures, ILogger logger)
    : OutboxHandler<TPayload>(kind)
    where TPayload : IRequestWork
{
    protected IRequestStore Requests => requests;

    protected ILogger Logger => logger;

    protected sealed override async Task HandleAsync(TPayload payload, CancellationToken cancellationToken)
    {
        var request = await requests.GetAsync(payload.TenantId, payload.RequestId, cancellationToken);
        if (request is null || !IsWanted(request, payload))
        {
            LogNotWanted(logger, ItemKind, payload.RequestId);
            return;
        }

        await HandleAsync(request, payload, cancellationToken);
    }

    protected sealed override Task OnFailedAsync(string itemId, TPayload payload, string reason, CancellationToken cancellationToken) =>
        failures.RecordAsync(payload.RequestId, Describe(payload), reason, cancellationToken, itemId);

    /// <summary>Whether the request, as it is now, still wants this work done.</summary>
    protected abstract bool IsWanted(GovernanceRequest request, TPayload payload);

    protected abstract Task HandleAsync(GovernanceRequest request, TPayload payload, CancellationToken cancellationToken);

    /// <summary>What the work was, for the history when it is given up: "SLA reminder remind-50 in the review thread".</summary>
    protected abstract string Describe(TPayload payload);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox {Kind} for {RequestId} skipped: the request no longer wants it")]
    private static partial void LogNotWanted(ILogger logger, string kind, string requestId);
}
