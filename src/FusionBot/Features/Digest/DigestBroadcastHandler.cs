using FusionBot.Features.Outbox;
using FusionBot.Storage;

namespace FusionBot.Features.Digest;

/// <summary>
/// Lists a sent digest's recipients — the tenant's community channels and digest subscribers — stores them on the
/// digest, then queues one delivery each. Safe to run again after a crash: the stored list only grows and a
/// delivery id already queued (or sent) is not queued again.
/// </summary>
public sealed partial class DigestBroadcastHandler(
    DigestArchive archive,
    IChannelRoutingStore channels,
    IDigestSubscriptionStore subscriptions,
    WorkOutbox outbox,
    ILogger<DigestBroadcastHandler> logger) : OutboxHandler<DigestBroadcastPayload>(DigestBroadcast.BroadcastKind)
{
    protected override async Task HandleAsync(DigestBroadcastPayload payload, CancellationToken cancellationToken)
    {
        var stored = await archive.GetAsync(payload.DigestId, cancellationToken)
            ?? throw new InvalidOperationException($"Digest {payload.DigestId} is not stored.");

        var recipients = await RecipientsAsync(payload.TenantId, cancellationToken);
        var digest = stored.Value;
        var keys = digest.Recipients.Union(recipients.Select(r => r.Key), StringComparer.Ordinal).ToList();
        if (keys.Count != digest.Recipients.Count)
        {
            // Stored before queueing: "digest status" counts every delivery the broadcast will make.
            await archive.SaveAsync(digest with { Recipients = keys }, stored.ETag, cancellationToken);
        }

        foreach (var recipient in recipients)
        {
            await outbox.EnqueueAsync(digest.DeliveryId(recipient.Key), DigestDeliveryHandler.DeliveryKind,
                new DigestDeliveryPayload(payload.TenantId, digest.Id, recipient), cancellationToken: cancellationToken);
        }

        LogQueued(logger, digest.Id, recipients.Count);
    }

    private async Task<List<DigestRecipient>> RecipientsAsync(string tenantId, CancellationToken cancellationToken)
    {
        var community = await channels.GetChannelsAsync(tenantId, ChannelRoles.Community, cancellationToken);
        var subscribers = await subscriptions.ListAsync(tenantId, cancellationToken);
        return
        [
            .. community.Select(c =>
                new DigestRecipient(DigestRecipientKind.Channel, "channel:" + c.ChannelId, ChannelId: c.ChannelId, ServiceUrl: c.ServiceUrl)),
            .. subscribers.Select(s =>
                new DigestRecipient(DigestRecipientKind.Subscriber, "user:" + s.UserId, UserId: s.UserId, Conversation: s.Conversation)),
        ];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Digest {DigestId}: {Count} deliveries queued")]
    private static partial void LogQueued(ILogger logger, string digestId, int count);
}
