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
/// Teams cannot be asked whether a card was posted, so once it is, only storing it is retried (for as long as this
/// instance holds the item), never the post: a failed write after the post does not make a second card. Only an
/// instance dying (or losing the item) in that moment can: the one in-flight send the outbox admits.
/// </summary>
public sealed partial class ReviewCardPost(
    IRequestStore requests,
    RequestWorkflow workflow,
    IChannelRoutingStore channels,
    ReviewCard cards,
    ReviewAudience audience,
    ReviewRouting routing,
    ReviewOutbox outbox,
    ConnectorClient connector,
    NotificationFailures failures,
    TimeProvider time,
    ILogger<ReviewCardPost> logger) : RequestOutboxHandler<ReviewRequestRef>(Kind, requests, failures, logger)
{
    public const string Kind = RequestWorkKinds.PostCard;
    private static readonly TimeSpan MaxRecordDelay = TimeSpan.FromSeconds(5);

    protected override bool IsWanted(GovernanceRequest request, ReviewRequestRef payload) =>
        request is { ReviewCard: null, Status: RequestStatus.PendingReview };

    protected override string Describe(ReviewRequestRef payload) => "Review card post";

    protected override async Task HandleAsync(GovernanceRequest request, ReviewRequestRef payload, CancellationToken cancellationToken)
    {
        var channel = ReviewRouting.ChannelRole(request.Tier) is { } role
            ? (await channels.GetChannelsAsync(request.TenantId, role, cancellationToken)).OrderByDescending(c => c.RegisteredAt).FirstOrDefault()
            : null;
        if (channel is null)
        {
            await routing.WaitForChannelAsync(request, cancellationToken);
            return;
        }

        var refreshFor = await audience.RefreshForAsync(request, connector, channel.ServiceUrl, channel.ChannelId, cancellationToken);
        var card = cards.Build(request, await workflow.HistoryAsync(request, cancellationToken), reader: ReviewCardReader.Channel, refreshFor: refreshFor);
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
        await RememberCardAsync(payload, posted, cancellationToken);
    }

    private async Task RememberCardAsync(ReviewRequestRef target, ChannelMessage posted, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var current = await Requests.GetAsync(target.TenantId, target.RequestId, cancellationToken)
                    ?? throw new InvalidOperationException($"Request {target.RequestId} disappeared after its card was posted.");
                var stored = current.ReviewCard == posted ? current : await Requests.UpdateAsync(current with { ReviewCard = posted }, cancellationToken);
                if (stored.Status != RequestStatus.PendingReview)
                {
                    // Decided or withdrawn while the card was on its way: show that on the card at once.
                    await outbox.UpdateCardAsync(stored, cancellationToken);
                }

                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A conflict (the request changed meanwhile) or a storage blip: read again and write again.
                LogRecordRetry(Logger, exception, target.RequestId, attempt);
                await Task.Delay(RecordDelay(attempt), time, cancellationToken);
            }
        }
    }

    private static TimeSpan RecordDelay(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(MaxRecordDelay.TotalMilliseconds, 50 * Math.Pow(2, Math.Min(attempt, 10))));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing the posted review card of {RequestId} failed (attempt {Attempt}); storing it again, not posting it again")]
    private static partial void LogRecordRetry(ILogger logger, Exception exception, string requestId, int attempt);
}
