using FusionBot.Cards;
using FusionBot.Features.Outbox;
using FusionBot.Graph;
using FusionBot.Protocol.Connector;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.Features.Review;

/// <summary>
/// Posts the review card as a new thread in the tier's channel and stores where it went. Payload: <see cref="ReviewRequestRef"/>.
/// Skips a request that already has its card or left review; a channel unregistered meanwhile sends it back to waiting.
/// The post is stored on the request (<see cref="GovernanceRequest.CardPosting"/>) before it is made. Once it is made,
/// only storing it is retried (for as long as this instance holds the item), never the post. When the instance dies
/// in between, the retry finds the stored posting and looks the card up in the channel through Graph before posting
/// again (docs/architecture.md, "A review card is posted once").
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
    ILogger<ReviewCardPost> logger,
    ChannelPosts? posts = null) : RequestOutboxHandler<ReviewRequestRef>(Kind, requests, failures, logger)
{
    public const string Kind = RequestWorkKinds.PostCard;
    private static readonly TimeSpan MaxRecordDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

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

        if (await FindEarlierPostAsync(request, channel, cancellationToken) is { } earlier)
        {
            await RememberCardAsync(payload, earlier, cancellationToken);
            return;
        }

        request = await Requests.UpdateAsync(
            request with { CardPosting = new ReviewCardPosting(channel.ChannelId, channel.TeamGroupId, time.GetUtcNow()) }, cancellationToken);
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

    /// <summary>The card an earlier attempt posted to this channel and died before storing, if Graph can find it.</summary>
    private async Task<ChannelMessage?> FindEarlierPostAsync(GovernanceRequest request, ChannelRegistration channel, CancellationToken cancellationToken)
    {
        if (request.CardPosting is not { TeamGroupId: { } team } posting || posting.ChannelId != channel.ChannelId || posts is null)
        {
            return null;
        }

        try
        {
            // Teams' clock stamps the message, ours the posting: allow for the two disagreeing a little.
            var found = await posts.FindCardAsync(team, channel.ChannelId, posting.StartedAt - ClockSkew, ReviewVerbs.RequestIdKey, request.Id, cancellationToken);
            LogEarlierPost(Logger, request.Id, found is not null);
            return found is null ? null : new ChannelMessage($"{channel.ChannelId};messageid={found}", found, channel.ServiceUrl);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A second card is better than none: post again, as when the team's id is not known.
            LogLookupFailed(Logger, exception, request.Id);
            return null;
        }
    }

    private async Task RememberCardAsync(ReviewRequestRef target, ChannelMessage posted, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var current = await Requests.GetAsync(target.TenantId, target.RequestId, cancellationToken)
                    ?? throw new InvalidOperationException($"Request {target.RequestId} disappeared after its card was posted.");
                var stored = current.ReviewCard == posted ? current : await Requests.UpdateAsync(current with { ReviewCard = posted, CardPosting = null }, cancellationToken);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Review card of {RequestId} begun before a restart: found in the channel {Found}")]
    private static partial void LogEarlierPost(ILogger logger, string requestId, bool found);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking up the review card of {RequestId} begun before a restart failed; posting it")]
    private static partial void LogLookupFailed(ILogger logger, Exception exception, string requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing the posted review card of {RequestId} failed (attempt {Attempt}); storing it again, not posting it again")]
    private static partial void LogRecordRetry(ILogger logger, Exception exception, string requestId, int attempt);
}
