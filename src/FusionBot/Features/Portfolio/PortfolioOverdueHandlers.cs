using System.Globalization;
using FusionBot.Cards;
using FusionBot.Features.Access;
using FusionBot.Features.Outbox;
using FusionBot.Protocol.Connector;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.Features.Portfolio;

/// <summary>Which CoE admin is told that which round of a request's periodic review is overdue.</summary>
public sealed record PortfolioOverduePayload(string TenantId, string RequestId, int Round, string AdminId) : IRequestWork
{
    public string ItemId => $"{PortfolioReviews.OverdueId(RequestId, Round)}:{AdminId}";
}

/// <summary>
/// The maker was reminded and a second grace passed without an answer: the round goes on the request's history and
/// fans out into one outbox item per CoE admin, each with a deterministic id, so however often this runs every admin
/// is told once, and one unreachable admin neither blocks nor repeats the others.
/// </summary>
public sealed partial class PortfolioOverdueHandler(
    IRequestStore requests,
    RequestWorkflow workflow,
    WorkOutbox outbox,
    AccessPolicy access,
    NotificationFailures failures,
    TimeProvider time,
    ILogger<PortfolioOverdueHandler> logger) : RequestOutboxHandler<PortfolioRoundPayload>(PortfolioReviews.OverdueKind, requests, failures, logger)
{
    protected override bool IsWanted(GovernanceRequest request, PortfolioRoundPayload payload) => PortfolioReviews.IsOpen(request, payload.Round);

    protected override string Describe(PortfolioRoundPayload payload) => $"Periodic review {payload.Round} overdue notice";

    protected override async Task HandleAsync(GovernanceRequest request, PortfolioRoundPayload payload, CancellationToken cancellationToken)
    {
        foreach (var adminId in access.AdminIdsOf(request.TenantId))
        {
            var notice = new PortfolioOverduePayload(request.TenantId, request.Id, payload.Round, adminId);
            await outbox.EnqueueAsync(notice.ItemId, PortfolioReviews.OverdueNoticeKind, notice, cancellationToken: cancellationToken);
        }

        await workflow.RecordAsync(new RequestHistoryEvent
        {
            RequestId = request.Id,
            At = time.GetUtcNow(),
            Action = RequestActions.PortfolioReviewOverdue,
            Actor = RequestActors.FusionBot,
            StatusBefore = request.Status,
            StatusAfter = request.Status,
            Comment = $"Periodic review {payload.Round.ToString(CultureInfo.InvariantCulture)} asked {request.PortfolioCheck!.AskedAt:yyyy-MM-dd} and not answered.",
        }, $"overdue-{payload.Round.ToString(CultureInfo.InvariantCulture)}", cancellationToken);
        LogOverdue(Logger, request.Id, payload.Round);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Periodic review {Round} of {RequestId} is overdue; CoE admins will be told")]
    private static partial void LogOverdue(ILogger logger, string requestId, int round);
}

/// <summary>Tells one CoE admin, 1:1, that a periodic review is overdue; skipped if the maker answered meanwhile.</summary>
public sealed partial class PortfolioOverdueNoticeHandler(
    IRequestStore requests,
    IConversationReferenceStore references,
    ConnectorClient connector,
    NotificationFailures failures,
    ILogger<PortfolioOverdueNoticeHandler> logger)
    : RequestOutboxHandler<PortfolioOverduePayload>(PortfolioReviews.OverdueNoticeKind, requests, failures, logger)
{
    protected override bool IsWanted(GovernanceRequest request, PortfolioOverduePayload payload) => PortfolioReviews.IsOpen(request, payload.Round);

    protected override string Describe(PortfolioOverduePayload payload) =>
        $"Periodic review {payload.Round} overdue notice to CoE admin {payload.AdminId}";

    protected override async Task HandleAsync(GovernanceRequest request, PortfolioOverduePayload payload, CancellationToken cancellationToken)
    {
        if (await references.GetAdminChatAsync(payload.AdminId, request.TenantId, cancellationToken) is not { } reference)
        {
            LogAdminUnreachable(Logger, payload.AdminId, request.Id);
            return;
        }

        await connector.SendToReferenceAsync(reference, Notice(request), cancellationToken);
    }

    internal static Activity Notice(GovernanceRequest request)
    {
        var asked = request.PortfolioCheck!.AskedAt.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
        return new Activity
        {
            Type = ActivityTypes.Message,
            TextFormat = "markdown",
            Summary = $"Periodic review overdue: {request.Id}",
            Text = $"📋 The periodic review of **{request.Id}** · {CardText.EscapeLine(request.Title)} (Tier {request.Tier}, maker " +
                $"{CardText.EscapeLine(request.Maker.Name ?? request.Maker.Id)}) is overdue: asked {asked}, reminded, still no answer. " +
                "Type **portfolio overdue** to see every overdue review.",
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "CoE admin {AdminId} not told that the periodic review of {RequestId} is overdue: no 1:1 with the bot in that tenant")]
    private static partial void LogAdminUnreachable(ILogger logger, string adminId, string requestId);
}
