using FusionBot.Cards;
using FusionBot.Features.Outbox;
using FusionBot.Protocol.Connector;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.Features.Review;

/// <summary>
/// Posts the review card as a new thread in the tier's channel and stores where it went. Payload: <see cref="ReviewRequestRef"/>.
/// Skips a request that already has its card or left review; a channel unregistered meanwhile sends it back to waiting.
/// </summary>
public sealed class ReviewCardPost(
    IRequestStore requests,
    RequestWorkflow workflow,
    IChannelRoutingStore channels,
    ReviewCard cards,
    ReviewRouting routing,
    ReviewOutbox outbox,
    ConnectorClient connector) : IOutboxHandler
{
    public const string Kind = RequestWorkKinds.PostCard;
    private const int MaxAttempts = 5;

    string IOutboxHandler.Kind => Kind;

    public async Task HandleAsync(DueWorkItem item, CancellationToken cancellationToken)
    {
        var target = WorkOutbox.Read<ReviewRequestRef>(item);
        var request = await requests.GetAsync(target.TenantId, target.RequestId, cancellationToken);
        if (request is not { ReviewCard: null, Status: RequestStatus.PendingReview })
        {
            return;
        }

        var channel = ReviewRouting.ChannelRole(request.Tier) is { } role
            ? (await channels.GetChannelsAsync(request.TenantId, role, cancellationToken)).OrderByDescending(c => c.RegisteredAt).FirstOrDefault()
            : null;
        if (channel is null)
        {
            await routing.WaitForChannelAsync(request, cancellationToken);
            return;
        }

        var card = cards.Build(request, await workflow.HistoryAsync(request, cancellationToken));
        var thread = await connector.CreateChannelThreadAsync(channel.ServiceUrl, channel.TenantId, channel.ChannelId, new Activity
        {
            Type = ActivityTypes.Message,
            Summary = ReviewCard.Summary(request),
            Attachments = [card.ToAttachment()],
        }, cancellationToken);
        var posted = new ChannelMessage(
            thread.Id ?? throw new InvalidOperationException("Creating the review thread returned no conversation id."),
            thread.ActivityId ?? throw new InvalidOperationException("Creating the review thread returned no activity id."),
            channel.ServiceUrl);
        await RememberCardAsync(target, posted, cancellationToken);
    }

    private async Task RememberCardAsync(ReviewRequestRef target, ChannelMessage posted, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await requests.GetAsync(target.TenantId, target.RequestId, cancellationToken)
                ?? throw new InvalidOperationException($"Request {target.RequestId} disappeared after its card was posted.");
            try
            {
                var stored = await requests.UpdateAsync(current with { ReviewCard = posted }, cancellationToken);
                if (current.Status != RequestStatus.PendingReview)
                {
                    // Decided or withdrawn while the card was on its way: show that on the card at once.
                    await outbox.UpdateCardAsync(stored, cancellationToken);
                }

                return;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
            }
        }
    }
}
