using FusionBot.Cards;
using FusionBot.Features.Outbox;
using FusionBot.Protocol.Connector;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.Features.Review;

/// <summary>Which request an outbox item is about.</summary>
public sealed record ReviewRequestRef(string TenantId, string RequestId) : IRequestWork;

/// <summary>A text for a request's thread or its maker.</summary>
public sealed record ReviewMessage(string TenantId, string RequestId, string Text) : IRequestWork;

/// <summary>A review card that no longer follows the request (after a reclassification to another channel): closed with a text.</summary>
public sealed record RetiredCard(string TenantId, string RequestId, ChannelMessage Card, string Text) : IRequestWork;

/// <summary>
/// Enqueues what a review step tells others; each item is carried out (and retried) by the outbox worker, so a crash
/// after a decision loses no update. Items carry no request id on purpose: stopping the SLA clock must not drop them.
/// </summary>
public sealed class ReviewOutbox(WorkOutbox outbox)
{
    public Task PostCardAsync(GovernanceRequest request, CancellationToken cancellationToken) =>
        outbox.EnqueueAsync($"{ReviewCardPost.Kind}:{request.Id}:{request.ReviewCycle}", ReviewCardPost.Kind,
            new ReviewRequestRef(request.TenantId, request.Id), cancellationToken: cancellationToken);

    public Task UpdateCardAsync(GovernanceRequest request, CancellationToken cancellationToken) =>
        outbox.EnqueueAsync($"{ReviewCardUpdate.Kind}:{request.Id}:{Guid.NewGuid():N}", ReviewCardUpdate.Kind,
            new ReviewRequestRef(request.TenantId, request.Id), cancellationToken: cancellationToken);

    public Task ReplyInThreadAsync(GovernanceRequest request, string text, CancellationToken cancellationToken) =>
        outbox.EnqueueAsync($"{ReviewThreadReply.Kind}:{request.Id}:{Guid.NewGuid():N}", ReviewThreadReply.Kind,
            new ReviewMessage(request.TenantId, request.Id, text), cancellationToken: cancellationToken);

    public Task TellMakerAsync(GovernanceRequest request, string text, CancellationToken cancellationToken, string? onceKey = null) =>
        outbox.EnqueueAsync($"{ReviewMakerNotice.Kind}:{request.Id}:{onceKey ?? Guid.NewGuid().ToString("N")}", ReviewMakerNotice.Kind,
            new ReviewMessage(request.TenantId, request.Id, text), cancellationToken: cancellationToken);

    public Task RetireCardAsync(GovernanceRequest request, ChannelMessage card, string text, CancellationToken cancellationToken) =>
        outbox.EnqueueAsync($"{ReviewCardRetire.Kind}:{request.Id}:{Guid.NewGuid():N}", ReviewCardRetire.Kind,
            new RetiredCard(request.TenantId, request.Id, card, text), cancellationToken: cancellationToken);

    /// <summary>The card shows the request as it is now, and the thread says what happened: the pair every step enqueues.</summary>
    public async Task AnnounceAsync(GovernanceRequest request, string threadText, CancellationToken cancellationToken)
    {
        if (request.ReviewCard is null)
        {
            return;
        }

        await UpdateCardAsync(request, cancellationToken);
        await ReplyInThreadAsync(request, threadText, cancellationToken);
    }
}

/// <summary>Re-renders the review card from the stored request and PUTs it over the channel message. Payload: <see cref="ReviewRequestRef"/>.</summary>
public sealed class ReviewCardUpdate(
    IRequestStore requests, IRequestHistoryStore history, ReviewCard cards, ConnectorClient connector, NotificationFailures failures, ILogger<ReviewCardUpdate> logger)
    : RequestOutboxHandler<ReviewRequestRef>(Kind, requests, failures, logger)
{
    public const string Kind = "review-card-update";

    protected override bool IsWanted(GovernanceRequest request, ReviewRequestRef payload) => request.ReviewCard is not null;

    protected override string Describe(ReviewRequestRef payload) => "Review card update";

    protected override async Task HandleAsync(GovernanceRequest request, ReviewRequestRef payload, CancellationToken cancellationToken)
    {
        var message = request.ReviewCard!;
        var card = cards.Build(request, await history.ListAsync(request.Id, cancellationToken));
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
    public const string Kind = "review-thread-reply";

    protected override bool IsWanted(GovernanceRequest request, ReviewMessage payload) => request.ReviewCard is not null;

    protected override string Describe(ReviewMessage payload) => "Reply in the review thread";

    protected override Task HandleAsync(GovernanceRequest request, ReviewMessage payload, CancellationToken cancellationToken)
    {
        var message = request.ReviewCard!;
        return connector.ReplyToActivityAsync(message.ServiceUrl, message.ConversationId, message.ActivityId,
            new Activity { Type = ActivityTypes.Message, Text = payload.Text, TextFormat = "markdown" }, cancellationToken);
    }
}

/// <summary>Tells the maker in their 1:1 chat (skipped when no 1:1 is known). Payload: <see cref="ReviewMessage"/>.</summary>
public sealed class ReviewMakerNotice(IRequestStore requests, ConnectorClient connector, NotificationFailures failures, ILogger<ReviewMakerNotice> logger)
    : RequestOutboxHandler<ReviewMessage>(Kind, requests, failures, logger)
{
    public const string Kind = "review-maker-notice";

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
    public const string Kind = "review-card-retire";

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
