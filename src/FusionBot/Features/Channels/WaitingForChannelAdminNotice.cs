using FusionBot.Features.Access;
using FusionBot.Features.Outbox;
using FusionBot.Protocol.Connector;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.Features.Channels;

/// <summary>
/// Tells the tenant's CoE admins (those listed by id) that a tier has no review channel, once per tier until one is
/// registered: only for the first request in the tier's waiting list, which <c>register</c> empties. The transition's
/// item (payload <see cref="ReviewMessage"/>) fans out into one <see cref="WaitingForChannelAdminMessage"/> item per
/// admin, its id the transition item's id and the admin's: handling the fan-out twice adds nothing, and each admin's
/// message is retried, failed or done on its own, so a retry after one admin's failure repeats nothing to the others.
/// </summary>
public sealed class WaitingForChannelAdminNotice(
    IRequestStore requests,
    WaitingForChannel waiting,
    AccessPolicy access,
    WorkOutbox outbox,
    NotificationFailures failures) : IOutboxHandler
{
    public const string Kind = RequestWorkKinds.AdminNotice;

    string IOutboxHandler.Kind => Kind;

    public static string AdminItemId(string noticeItemId, string adminId) => $"{noticeItemId}:admin:{adminId}";

    public async Task HandleAsync(DueWorkItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var payload = WorkOutbox.Read<ReviewMessage>(item);
        var request = await requests.GetAsync(payload.TenantId, payload.RequestId, cancellationToken);
        if (request?.Status != RequestStatus.PendingRouting)
        {
            return;
        }

        var first = (await waiting.ListAsync(request.TenantId, request.Tier, cancellationToken))
            .Select(w => w.RequestId).Order(StringComparer.Ordinal).FirstOrDefault();
        if (first != request.Id)
        {
            return; // The admins already heard of this tier's missing channel with the first request that waited.
        }

        foreach (var adminId in access.AdminIdsOf(request.TenantId))
        {
            // Tied to the request: a channel registered (or a withdrawal) meanwhile makes the rest unwanted.
            await outbox.EnqueueAsync(AdminItemId(item.Id, adminId), WaitingForChannelAdminMessage.Kind,
                new WaitingForChannelAdminMessage.Payload(request.TenantId, request.Id, adminId, payload.Text), dueAt: null, request.Id, cancellationToken);
        }
    }

    public Task OnFailedAsync(DueWorkItem item, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        return failures.RecordAsync(WorkOutbox.Read<ReviewMessage>(item).RequestId, "Message to the CoE admins", reason, cancellationToken, item.Id);
    }
}

/// <summary>One CoE admin told, 1:1, that the request's tier has no review channel (see <see cref="WaitingForChannelAdminNotice"/>).</summary>
public sealed partial class WaitingForChannelAdminMessage(
    IRequestStore requests,
    IConversationReferenceStore references,
    ConnectorClient connector,
    NotificationFailures failures,
    ILogger<WaitingForChannelAdminMessage> logger) : RequestOutboxHandler<WaitingForChannelAdminMessage.Payload>(Kind, requests, failures, logger)
{
    public const string Kind = "request-admin-notice-one";

    /// <param name="AdminId">The admin's Entra object id, as listed in <c>Governance:AdminIds</c>.</param>
    public sealed record Payload(string TenantId, string RequestId, string AdminId, string Text) : IRequestWork;

    protected override bool IsWanted(GovernanceRequest request, Payload payload) => request.Status == RequestStatus.PendingRouting;

    protected override string Describe(Payload payload) => "Message to a CoE admin";

    protected override async Task HandleAsync(GovernanceRequest request, Payload payload, CancellationToken cancellationToken)
    {
        if (await references.GetAdminChatAsync(payload.AdminId, request.TenantId, cancellationToken) is not { } chat)
        {
            LogAdminUnreachable(Logger, request.Tier);
            return;
        }

        await connector.SendToReferenceAsync(chat, new Activity
        {
            Type = ActivityTypes.Message,
            Text = payload.Text,
            TextFormat = "markdown",
            Summary = $"Tier {request.Tier} has no review channel",
        }, cancellationToken);
    }

    // No admin id: the log holds nothing personal.
    [LoggerMessage(Level = LogLevel.Warning, Message = "A CoE admin was not told that Tier {Tier} has no review channel: no 1:1 with the bot in that tenant")]
    private static partial void LogAdminUnreachable(ILogger logger, int tier);
}
