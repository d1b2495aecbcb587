using FusionBot.Cards;
using FusionBot.Features.Outbox;
using FusionBot.Protocol.Connector;
using FusionBot.Protocol.Models;
using FusionBot.Storage;

namespace FusionBot.Features.Digest;

/// <summary>
/// Sends one digest to one recipient, at the instance's pace (<see cref="DigestSendThrottle"/>). Throttling and
/// outages are retried by the connector client, then by the outbox. A subscriber who blocked the bot is
/// unsubscribed, so the next digest skips them; the item then fails with the reason, for <c>digest status</c>.
/// </summary>
public sealed partial class DigestDeliveryHandler(
    DigestArchive archive,
    DigestSendThrottle throttle,
    ConnectorClient connector,
    IDigestSubscriptionStore subscriptions,
    ILogger<DigestDeliveryHandler> logger) : OutboxHandler<DigestDeliveryPayload>(DeliveryKind)
{
    public const string DeliveryKind = "digest-delivery";

    protected override async Task HandleAsync(DigestDeliveryPayload payload, CancellationToken cancellationToken)
    {
        var digest = (await archive.GetAsync(payload.DigestId, cancellationToken))?.Value
            ?? throw new InvalidOperationException($"Digest {payload.DigestId} is not stored.");
        var recipient = payload.Recipient;
        var activity = new Activity
        {
            Type = ActivityTypes.Message,
            Summary = DigestCard.Summary(digest),
            Attachments = [DigestCard.Build(digest, preview: recipient.Kind == DigestRecipientKind.Preview).ToAttachment()],
        };

        await throttle.WaitAsync(cancellationToken);
        try
        {
            // The token ends only with this instance's hold on the item (not at shutdown, which lets a send finish), so
            // a Retry-After wait never runs on while another instance may already be sending the same digest.
            await SendAsync(payload.TenantId, recipient, activity, cancellationToken);
        }
        catch (ConnectorException exception) when (exception.IsPermanent && recipient.Kind == DigestRecipientKind.Subscriber)
        {
            await subscriptions.UnsubscribeAsync(payload.TenantId, recipient.UserId!, cancellationToken);
            LogUnsubscribed(logger, digest.Id, (int)exception.StatusCode, exception.ErrorCode);
            throw;
        }
    }

    private Task SendAsync(string tenantId, DigestRecipient recipient, Activity activity, CancellationToken cancellationToken) => recipient.Kind switch
    {
        DigestRecipientKind.Channel => connector.CreateChannelThreadAsync(recipient.ServiceUrl!, tenantId, recipient.ChannelId!, activity, cancellationToken),
        _ => connector.SendToReferenceAsync(recipient.Conversation!, activity, cancellationToken),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Digest {DigestId}: a subscriber can no longer be reached ({Status} {ErrorCode}); unsubscribed")]
    private static partial void LogUnsubscribed(ILogger logger, string digestId, int status, string? errorCode);
}
