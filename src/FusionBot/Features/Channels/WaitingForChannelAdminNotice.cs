using FusionBot.Features.Access;
using FusionBot.Features.Outbox;
using FusionBot.Protocol.Connector;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.Features.Channels;

/// <summary>
/// Tells the tenant's CoE admins (those listed by id who have a 1:1 chat with the bot) that a tier has no review channel,
/// once per tier until one is registered: only for the first request in the tier's waiting list, which <c>register</c>
/// empties. Payload: <see cref="ReviewMessage"/>.
/// </summary>
public sealed partial class WaitingForChannelAdminNotice(
    IRequestStore requests,
    WaitingForChannel waiting,
    AccessPolicy access,
    IConversationReferenceStore references,
    ConnectorClient connector,
    NotificationFailures failures,
    ILogger<WaitingForChannelAdminNotice> logger) : RequestOutboxHandler<ReviewMessage>(Kind, requests, failures, logger)
{
    public const string Kind = RequestWorkKinds.AdminNotice;

    protected override bool IsWanted(GovernanceRequest request, ReviewMessage payload) => request.Status == RequestStatus.PendingRouting;

    protected override string Describe(ReviewMessage payload) => "Message to the CoE admins";

    protected override async Task HandleAsync(GovernanceRequest request, ReviewMessage payload, CancellationToken cancellationToken)
    {
        var first = (await waiting.ListAsync(request.TenantId, request.Tier, cancellationToken))
            .Select(w => w.RequestId).Order(StringComparer.Ordinal).FirstOrDefault();
        if (first != request.Id)
        {
            return; // The admins already heard of this tier's missing channel with the first request that waited.
        }

        var told = 0;
        foreach (var adminId in access.AdminIdsOf(request.TenantId))
        {
            if (await references.GetAdminChatAsync(adminId, request.TenantId, cancellationToken) is { } chat)
            {
                await connector.SendToReferenceAsync(chat, new Activity
                {
                    Type = ActivityTypes.Message,
                    Text = payload.Text,
                    TextFormat = "markdown",
                    Summary = $"Tier {request.Tier} has no review channel",
                }, cancellationToken);
                told++;
            }
        }

        if (told == 0)
        {
            LogNoAdminReached(Logger, request.Tier);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No CoE admin with a chat to tell that Tier {Tier} has no review channel")]
    private static partial void LogNoAdminReached(ILogger logger, int tier);
}
