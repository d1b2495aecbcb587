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
    ILogger<PortfolioAskHandler> logger) : RequestOutboxHandler<PortfolioRoundPayload>(PortfolioReviews.AskKind, requests, failures, logger)
{
    protected override bool IsWanted(GovernanceRequest request, PortfolioRoundPayload payload) =>
        PortfolioReviews.InUse(request.Status) && !(request.PortfolioCheck?.Round > payload.Round)
        && !(request.PortfolioCheck is { AnsweredAt: not null } answered && answered.Round == payload.Round);

    protected override string Describe(PortfolioRoundPayload payload) => $"Periodic review {payload.Round} card to the maker";

    protected override async Task HandleAsync(GovernanceRequest request, PortfolioRoundPayload payload, CancellationToken cancellationToken)
    {
        if (request.PortfolioCheck?.Round != payload.Round)
        {
            // A conflict throws: the item is retried and re-reads whatever the other writer decided. The tier it last
            // outgrew stays, so the portfolio keeps listing it after its new review.
            request = await Requests.UpdateAsync(request with
            {
                PortfolioCheck = new PortfolioCheck(payload.Round, time.GetUtcNow(), OutgrewTier: request.PortfolioCheck?.OutgrewTier),
            }, cancellationToken);
        }

        await reviews.ScheduleFollowUpsAsync(request, payload.Round, request.PortfolioCheck!.AskedAt, cancellationToken);
        if (!await PortfolioMakerCard.SendAsync(connector, request, cards.Build(request, payload.Round, facts: payload.Facts), cancellationToken))
        {
            // The round stays open, so the CoE sees it overdue and can follow up another way.
            LogNoConversation(Logger, request.Id);
            return;
        }

        LogAsked(Logger, request.Id, payload.Round);
    }

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
    ILogger<PortfolioReminderHandler> logger) : RequestOutboxHandler<PortfolioRoundPayload>(PortfolioReviews.ReminderKind, requests, failures, logger)
{
    protected override bool IsWanted(GovernanceRequest request, PortfolioRoundPayload payload) => PortfolioReviews.IsOpen(request, payload.Round);

    protected override string Describe(PortfolioRoundPayload payload) => $"Periodic review {payload.Round} reminder to the maker";

    protected override async Task HandleAsync(GovernanceRequest request, PortfolioRoundPayload payload, CancellationToken cancellationToken)
    {
        if (await PortfolioMakerCard.SendAsync(connector, request, cards.Build(request, payload.Round, reminder: true), cancellationToken))
        {
            LogReminded(Logger, request.Id, payload.Round);
        }
    }

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
