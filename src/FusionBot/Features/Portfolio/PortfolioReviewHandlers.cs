using System.Text.Json.Nodes;
using FusionBot.Cards;
using FusionBot.Features.Outbox;
using FusionBot.Protocol.Connector;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.Features.Portfolio;

/// <summary>
/// A round is due: record it on the request (ETag-guarded, so two instances cannot both open it), schedule the
/// reminder, and send the maker the review card. A retry after a failed send finds the round open and sends again.
/// </summary>
public sealed partial class PortfolioAskHandler(
    IRequestStore requests,
    PortfolioReviews reviews,
    PortfolioReviewCard cards,
    ConnectorClient connector,
    NotificationFailures failures,
    TimeProvider time,
    ILogger<PortfolioAskHandler> logger) : IOutboxHandler
{
    public string Kind => PortfolioReviews.AskKind;

    public async Task HandleAsync(DueWorkItem item, CancellationToken cancellationToken)
    {
        var due = WorkOutbox.Read<PortfolioRoundPayload>(item);
        var request = await requests.GetAsync(due.TenantId, due.RequestId, cancellationToken);
        if (request is null || !PortfolioReviews.InUse(request.Status) || request.PortfolioCheck?.Round > due.Round
            || request.PortfolioCheck is { AnsweredAt: not null } answered && answered.Round == due.Round)
        {
            LogNotDue(logger, due.RequestId, due.Round);
            return;
        }

        if (request.PortfolioCheck?.Round != due.Round)
        {
            // A conflict throws: the item is retried and re-reads whatever the other writer decided. The tier it last
            // outgrew stays, so the portfolio keeps listing it after its new review.
            request = await requests.UpdateAsync(request with
            {
                PortfolioCheck = new PortfolioCheck(due.Round, time.GetUtcNow(), OutgrewTier: request.PortfolioCheck?.OutgrewTier),
            }, cancellationToken);
        }

        await reviews.ScheduleFollowUpsAsync(request, due.Round, request.PortfolioCheck!.AskedAt, cancellationToken);
        if (!await PortfolioMakerCard.SendAsync(connector, request, cards.Build(request, due.Round), cancellationToken))
        {
            // The round stays open, so the CoE sees it overdue and can follow up another way.
            LogNoConversation(logger, request.Id);
            return;
        }

        LogAsked(logger, request.Id, due.Round);
    }

    public Task OnFailedAsync(DueWorkItem item, string reason, CancellationToken cancellationToken)
    {
        var due = WorkOutbox.Read<PortfolioRoundPayload>(item);
        return failures.RecordAsync(due.RequestId, $"Periodic review {due.Round} card to the maker", reason, cancellationToken, item.Id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Periodic review {Round} of {RequestId} skipped: the request is not in use or the round is already answered")]
    private static partial void LogNotDue(ILogger logger, string requestId, int round);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} has no maker conversation; its periodic review card was not sent")]
    private static partial void LogNoConversation(ILogger logger, string requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Periodic review {Round} of {RequestId} sent to the maker")]
    private static partial void LogAsked(ILogger logger, string requestId, int round);
}

/// <summary>The grace passed: if the round is still open, the maker gets the card again as a reminder.</summary>
public sealed partial class PortfolioReminderHandler(
    IRequestStore requests,
    PortfolioReviewCard cards,
    ConnectorClient connector,
    NotificationFailures failures,
    ILogger<PortfolioReminderHandler> logger) : IOutboxHandler
{
    public string Kind => PortfolioReviews.ReminderKind;

    public async Task HandleAsync(DueWorkItem item, CancellationToken cancellationToken)
    {
        var due = WorkOutbox.Read<PortfolioRoundPayload>(item);
        var request = await requests.GetAsync(due.TenantId, due.RequestId, cancellationToken);
        if (!PortfolioReviews.IsOpen(request, due.Round))
        {
            LogAnswered(logger, due.RequestId, due.Round);
            return;
        }

        if (await PortfolioMakerCard.SendAsync(connector, request, cards.Build(request, due.Round, reminder: true), cancellationToken))
        {
            LogReminded(logger, request.Id, due.Round);
        }
    }

    public Task OnFailedAsync(DueWorkItem item, string reason, CancellationToken cancellationToken)
    {
        var due = WorkOutbox.Read<PortfolioRoundPayload>(item);
        return failures.RecordAsync(due.RequestId, $"Periodic review {due.Round} reminder to the maker", reason, cancellationToken, item.Id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Periodic review reminder {Round} of {RequestId} skipped: answered or no longer in use")]
    private static partial void LogAnswered(ILogger logger, string requestId, int round);

    [LoggerMessage(Level = LogLevel.Information, Message = "Periodic review reminder {Round} of {RequestId} sent")]
    private static partial void LogReminded(ILogger logger, string requestId, int round);
}

/// <summary>Sends a periodic review card to the maker's 1:1 chat.</summary>
internal static class PortfolioMakerCard
{
    /// <summary>False when the request has no maker conversation to send to.</summary>
    public static async Task<bool> SendAsync(ConnectorClient connector, GovernanceRequest request, JsonObject card, CancellationToken cancellationToken)
    {
        if (request.MakerConversation is not { } reference)
        {
            return false;
        }

        await connector.SendToReferenceAsync(reference, new Activity
        {
            Type = ActivityTypes.Message,
            Summary = PortfolioReviewCard.Summary(request),
            Attachments = [card.ToAttachment()],
        }, cancellationToken);
        return true;
    }
}
