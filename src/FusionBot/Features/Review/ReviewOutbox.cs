using FusionBot.Cards;
using FusionBot.Features.Outbox;
using FusionBot.Protocol.Connector;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.Features.Review;

/// <summary>Which request an outbox item is about.</summary>
public sealed record ReviewRequestRef(string TenantId, string RequestId);

/// <summary>A text for a request's thread or its maker.</summary>
public sealed record ReviewMessage(string TenantId, string RequestId, string Text);

/// <summary>A review card that no longer follows the request (after a reclassification to another channel): closed with a text.</summary>
public sealed record RetiredCard(string TenantId, string RequestId, ChannelMessage Card, string Text);

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
public sealed class ReviewCardUpdate(IRequestStore requests, IRequestHistoryStore history, ReviewCard cards, ConnectorClient connector) : IOutboxHandler
{
    public const string Kind = "review-card-update";

    string IOutboxHandler.Kind => Kind;

    public async Task HandleAsync(DueWorkItem item, CancellationToken cancellationToken)
    {
        var target = WorkOutbox.Read<ReviewRequestRef>(item);
        var request = await requests.GetAsync(target.TenantId, target.RequestId, cancellationToken);
        if (request?.ReviewCard is not { } message)
        {
            return;
        }

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
public sealed class ReviewThreadReply(IRequestStore requests, ConnectorClient connector) : IOutboxHandler
{
    public const string Kind = "review-thread-reply";

    string IOutboxHandler.Kind => Kind;

    public async Task HandleAsync(DueWorkItem item, CancellationToken cancellationToken)
    {
        var reply = WorkOutbox.Read<ReviewMessage>(item);
        var request = await requests.GetAsync(reply.TenantId, reply.RequestId, cancellationToken);
        if (request?.ReviewCard is not { } message)
        {
            return;
        }

        await connector.ReplyToActivityAsync(message.ServiceUrl, message.ConversationId, message.ActivityId,
            new Activity { Type = ActivityTypes.Message, Text = reply.Text, TextFormat = "markdown" }, cancellationToken);
    }
}

/// <summary>Tells the maker in their 1:1 chat. Payload: <see cref="ReviewMessage"/>.</summary>
public sealed partial class ReviewMakerNotice(IRequestStore requests, ConnectorClient connector, ILogger<ReviewMakerNotice> logger) : IOutboxHandler
{
    public const string Kind = "review-maker-notice";

    string IOutboxHandler.Kind => Kind;

    public async Task HandleAsync(DueWorkItem item, CancellationToken cancellationToken)
    {
        var notice = WorkOutbox.Read<ReviewMessage>(item);
        var request = await requests.GetAsync(notice.TenantId, notice.RequestId, cancellationToken);
        if (request?.MakerConversation is not { } reference)
        {
            LogNoConversation(logger, notice.RequestId);
            return;
        }

        await connector.SendToReferenceAsync(reference, new Activity
        {
            Type = ActivityTypes.Message,
            Text = notice.Text,
            TextFormat = "markdown",
            Summary = $"{request.Id}: {CardText.Truncate(request.Title, 60)}",
        }, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} has no maker conversation; the maker was not told")]
    private static partial void LogNoConversation(ILogger logger, string requestId);
}

/// <summary>Closes a card that no longer follows its request. Payload: <see cref="RetiredCard"/>.</summary>
public sealed class ReviewCardRetire(IRequestStore requests, ConnectorClient connector) : IOutboxHandler
{
    public const string Kind = "review-card-retire";

    string IOutboxHandler.Kind => Kind;

    public async Task HandleAsync(DueWorkItem item, CancellationToken cancellationToken)
    {
        var retired = WorkOutbox.Read<RetiredCard>(item);
        var request = await requests.GetAsync(retired.TenantId, retired.RequestId, cancellationToken);
        if (request is null)
        {
            return;
        }

        var message = retired.Card;
        await connector.UpdateActivityAsync(message.ServiceUrl, message.ConversationId, message.ActivityId, new Activity
        {
            Type = ActivityTypes.Message,
            Id = message.ActivityId,
            Summary = $"{request.Id}: {CardText.Truncate(retired.Text, 80)}",
            Attachments = [ReviewCard.Retired(request, retired.Text).ToAttachment()],
        }, cancellationToken);
    }
}
