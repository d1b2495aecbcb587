using FusionBot.Cards;
using FusionBot.Features.Outbox;
using FusionBot.Protocol.Connector;
using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.Features.Sla;

/// <summary>
/// One message of a breach's escalation (see <see cref="SlaBreachHandler"/>): to a CoE admin 1:1, to a community
/// channel, or to the maker 1:1. Skipped when the request was decided meanwhile. A recipient the bot cannot reach
/// (an admin who never installed it, an unregistered channel) is logged and skipped; one who blocked it fails the
/// item for good and lands on the request's history.
/// </summary>
public sealed partial class SlaEscalationHandler(
    IRequestStore requests,
    IConversationReferenceStore references,
    IChannelRoutingStore channels,
    ConnectorClient connector,
    NotificationFailures failures,
    TimeProvider time,
    ILogger<SlaEscalationHandler> logger) : RequestOutboxHandler<SlaEscalationPayload>(EscalationKind, requests, failures, logger)
{
    public const string EscalationKind = "sla-escalation";


    protected override bool IsWanted(GovernanceRequest request, SlaEscalationPayload payload) => SlaWaiting.IsAwaiting(request, payload.Cycle);

    protected override string Describe(SlaEscalationPayload payload) =>
        $"SLA breach message to {(payload.Target is null ? payload.Audience.ToString() : $"{payload.Audience} {payload.Target}")}";

    protected override async Task HandleAsync(GovernanceRequest request, SlaEscalationPayload payload, CancellationToken cancellationToken)
    {
        var dueAt = request.DueAt ?? request.SlaBreachedAt ?? time.GetUtcNow();
        switch (payload.Audience)
        {
            case EscalationAudience.Admin:
                await SendToAdminAsync(request, payload.Target!, dueAt, cancellationToken);
                break;
            case EscalationAudience.CommunityChannel:
                await SendToChannelAsync(request, payload.Target!, dueAt, cancellationToken);
                break;
            default:
                await SendToMakerAsync(request, dueAt, cancellationToken);
                break;
        }
    }

    private async Task SendToAdminAsync(GovernanceRequest request, string adminId, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        if (await references.GetAdminChatAsync(adminId, request.TenantId, cancellationToken) is not { } reference)
        {
            LogAdminUnreachable(Logger, adminId, request.Id);
            return;
        }

        var zone = LocalTime.Find(await references.GetTimeZoneForUserAsync(request.TenantId, adminId, null, cancellationToken));
        await connector.SendToReferenceAsync(reference, SlaMessages.Escalation(request, dueAt, zone), cancellationToken);
    }

    private async Task SendToChannelAsync(GovernanceRequest request, string channelId, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        var channel = (await channels.GetChannelsAsync(request.TenantId, ChannelRoles.Community, cancellationToken)).FirstOrDefault(c => c.ChannelId == channelId);
        if (channel is null)
        {
            LogChannelGone(Logger, channelId, request.Id);
            return;
        }

        await connector.SendToConversationAsync(channel.ServiceUrl, channel.ChannelId, SlaMessages.Escalation(request, dueAt), cancellationToken);
    }

    private async Task SendToMakerAsync(GovernanceRequest request, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        var reference = request.MakerConversation
            ?? await references.GetForUserAsync(request.TenantId, request.Maker.AadObjectId, request.Maker.Id, cancellationToken);
        if (reference is null)
        {
            LogMakerUnreachable(Logger, request.Id);
            return;
        }

        var zone = LocalTime.Find(await references.GetTimeZoneForUserAsync(request.TenantId, request.Maker.AadObjectId, request.Maker.Id, cancellationToken));
        await connector.SendToReferenceAsync(reference, SlaMessages.MakerOverdue(request, dueAt, zone), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "CoE admin {AdminId} not told of the SLA breach of {RequestId}: no 1:1 with the bot in that tenant")]
    private static partial void LogAdminUnreachable(ILogger logger, string adminId, string requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Community channel {ChannelId} not told of the SLA breach of {RequestId}: it is no longer registered")]
    private static partial void LogChannelGone(ILogger logger, string channelId, string requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Maker of {RequestId} not told of the SLA breach: no 1:1 conversation is known")]
    private static partial void LogMakerUnreachable(ILogger logger, string requestId);
}
