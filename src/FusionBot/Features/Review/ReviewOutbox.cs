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
public sealed class ReviewCardUpdate(IRequestStore requests, RequestWorkflow workflow, ReviewCard cards, ConnectorClient connector) : IOutboxHandler
{
    public const string Kind = RequestWorkKinds.UpdateCard;

    string IOutboxHandler.Kind => Kind;

    public async Task HandleAsync(DueWorkItem item, CancellationToken cancellationToken)
    {
        var target = WorkOutbox.Read<ReviewRequestRef>(item);
        var request = await requests.GetAsync(target.TenantId, target.RequestId, cancellationToken);
        if (request?.ReviewCard is not { } message)
        {
            return;
        }

        var card = cards.Build(request, await workflow.HistoryAsync(request, cancellationToken));
        await connector.UpdateActivityAsync(message.ServiceUrl, message.ConversationId, message.ActivityId, new Activity
        {
            Type = ActivityTypes.Message,
            Id = message.ActivityId,
            Summary = ReviewCard.Summary(request),
            Attachments = [card.ToAttachment()],
        }, cancellationToken);
    }
}

/// <summary>Replies in the thread the message names, or the request's card's. Payload: <see cref="ReviewMessage"/>.</summary>
public sealed class ReviewThreadReply(IRequestStore requests, ConnectorClient connector) : IOutboxHandler
{
    public const string Kind = RequestWorkKinds.ThreadReply;

    string IOutboxHandler.Kind => Kind;

    public async Task HandleAsync(DueWorkItem item, CancellationToken cancellationToken)
    {
        var reply = WorkOutbox.Read<ReviewMessage>(item);
        var request = await requests.GetAsync(reply.TenantId, reply.RequestId, cancellationToken);
        if ((reply.Thread ?? request?.ReviewCard) is not { } message)
        {
            return;
        }

        await connector.ReplyToActivityAsync(message.ServiceUrl, message.ConversationId, message.ActivityId,
            new Activity { Type = ActivityTypes.Message, Text = reply.Text, TextFormat = "markdown" }, cancellationToken);
    }
}

/// <summary>Tells the maker in their 1:1 chat ; a send given up goes on the request's history. Payload: <see cref="ReviewMessage"/>.</summary>
public sealed partial class ReviewMakerNotice(IRequestStore requests, ConnectorClient connector, NotificationFailures failures, ILogger<ReviewMakerNotice> logger) : IOutboxHandler
{
    public const string Kind = RequestWorkKinds.MakerNotice;

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

    public Task OnFailedAsync(DueWorkItem item, string reason, CancellationToken cancellationToken)
    {
        var notice = WorkOutbox.Read<ReviewMessage>(item);
        return failures.RecordAsync(notice.RequestId, "Message to the maker", reason, cancellationToken, item.Id);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} has no maker conversation; the maker was not told")]
    private static partial void LogNoConversation(ILogger logger, string requestId);
}

/// <summary>Closes a card that no longer follows its request. Payload: <see cref="RetiredCard"/>.</summary>
public sealed class ReviewCardRetire(IRequestStore requests, ConnectorClient connector) : IOutboxHandler
{
    public const string Kind = RequestWorkKinds.RetireCard;

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
