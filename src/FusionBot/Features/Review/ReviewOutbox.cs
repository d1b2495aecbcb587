using FusionBot.Cards;
using FusionBot.Features.Outbox;
using FusionBot.Protocol.Connector;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.Features.Review;

/// <summary>
/// Enqueues a review card update outside a transition (a card posted after its request moved on). Everything a
/// transition tells others is enqueued by <see cref="RequestWorkflow"/>; the handlers below carry it out.
/// </summary>
public sealed class ReviewOutbox(WorkOutbox outbox)
{
    public Task UpdateCardAsync(GovernanceRequest request, CancellationToken cancellationToken) =>
        outbox.EnqueueAsync($"{ReviewCardUpdate.Kind}:{request.Id}:posted:{request.ReviewCard?.ActivityId}", ReviewCardUpdate.Kind,
            new ReviewRequestRef(request.TenantId, request.Id), cancellationToken: cancellationToken);
}

/// <summary>Re-renders the review card from the stored request and PUTs it over the channel message. Payload: <see cref="ReviewRequestRef"/>.</summary>
public sealed class ReviewCardUpdate(
    IRequestStore requests, RequestWorkflow workflow, ReviewCard cards, ReviewAudience audience, ConnectorClient connector, NotificationFailures failures, ILogger<ReviewCardUpdate> logger)
    : RequestOutboxHandler<ReviewRequestRef>(Kind, requests, failures, logger)
{
    public const string Kind = RequestWorkKinds.UpdateCard;

    protected override bool IsWanted(GovernanceRequest request, ReviewRequestRef payload) => request.ReviewCard is not null;

    protected override string Describe(ReviewRequestRef payload) => "Review card update";

    protected override async Task HandleAsync(GovernanceRequest request, ReviewRequestRef payload, CancellationToken cancellationToken)
    {
        var message = request.ReviewCard!;
        var refreshFor = await audience.RefreshForAsync(request, connector, message.ServiceUrl, message.ConversationId, cancellationToken);
        var card = cards.Build(request, await workflow.HistoryAsync(request, cancellationToken), reader: ReviewCardReader.Channel, refreshFor: refreshFor);
        await connector.UpdateActivityAsync(message.ServiceUrl, message.ConversationId, message.ActivityId, new Activity
        {
            Type = ActivityTypes.Message,
            Id = message.ActivityId,
            Summary = ReviewCard.Summary(request),
            Attachments = [card.ToAttachment()],
        }, cancellationToken);
    }
}

/// <summary>Replies in the review card's thread. Payload: <see cref="ReviewMessage"/>.</summary>
public sealed class ReviewThreadReply(IRequestStore requests, ConnectorClient connector, NotificationFailures failures, ILogger<ReviewThreadReply> logger)
    : RequestOutboxHandler<ReviewMessage>(Kind, requests, failures, logger)
{
    public const string Kind = RequestWorkKinds.ThreadReply;

    protected override bool IsWanted(GovernanceRequest request, ReviewMessage payload) => (payload.Thread ?? request.ReviewCard) is not null;

    protected override string Describe(ReviewMessage payload) => "Reply in the review thread";

    protected override Task HandleAsync(GovernanceRequest request, ReviewMessage payload, CancellationToken cancellationToken)
    {
        var message = (payload.Thread ?? request.ReviewCard)!;
        return connector.ReplyToActivityAsync(message.ServiceUrl, message.ConversationId, message.ActivityId,
            new Activity { Type = ActivityTypes.Message, Text = payload.Text, TextFormat = "markdown" }, cancellationToken);
    }
}

/// <summary>Tells the maker in their 1:1 chat (skipped when no 1:1 is known). Payload: <see cref="ReviewMessage"/>.</summary>
public sealed class ReviewMakerNotice(IRequestStore requests, ConnectorClient connector, NotificationFailures failures, ILogger<ReviewMakerNotice> logger)
    : RequestOutboxHandler<ReviewMessage>(Kind, requests, failures, logger)
{
    public const string Kind = RequestWorkKinds.MakerNotice;

    protected override bool IsWanted(GovernanceRequest request, ReviewMessage payload) => request.MakerConversation is not null;

    protected override string Describe(ReviewMessage payload) => "Message to the maker";

    protected override Task HandleAsync(GovernanceRequest request, ReviewMessage payload, CancellationToken cancellationToken) =>
        connector.SendToReferenceAsync(request.MakerConversation!, new Activity
        {
            Type = ActivityTypes.Message,
            Text = payload.Text,
            TextFormat = "markdown",
            Summary = $"{request.Id}: {CardText.Truncate(request.Title, 60)}",
        }, cancellationToken);
}

/// <summary>Closes a card that no longer follows its request. Payload: <see cref="RetiredCard"/>.</summary>
public sealed class ReviewCardRetire(IRequestStore requests, ConnectorClient connector, NotificationFailures failures, ILogger<ReviewCardRetire> logger)
    : RequestOutboxHandler<RetiredCard>(Kind, requests, failures, logger)
{
    public const string Kind = RequestWorkKinds.RetireCard;

    protected override bool IsWanted(GovernanceRequest request, RetiredCard payload) => true;

    protected override string Describe(RetiredCard payload) => "Closing the review card it left behind";

    protected override Task HandleAsync(GovernanceRequest request, RetiredCard payload, CancellationToken cancellationToken)
    {
        var message = payload.Card;
        return connector.UpdateActivityAsync(message.ServiceUrl, message.ConversationId, message.ActivityId, new Activity
        {
            Type = ActivityTypes.Message,
            Id = message.ActivityId,
            Summary = $"{request.Id}: {CardText.Truncate(payload.Text, 80)}",
            Attachments = [ReviewCard.Retired(request, payload.Text).ToAttachment()],
        }, cancellationToken);
    }
}
