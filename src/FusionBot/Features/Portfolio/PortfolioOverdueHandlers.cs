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
public sealed record PortfolioOverduePayload(string TenantId, string RequestId, int Round, string AdminId)
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
    ILogger<PortfolioOverdueHandler> logger) : IOutboxHandler
{
    public string Kind => PortfolioReviews.OverdueKind;

    public async Task HandleAsync(DueWorkItem item, CancellationToken cancellationToken)
    {
        var due = WorkOutbox.Read<PortfolioRoundPayload>(item);
        var request = await requests.GetAsync(due.TenantId, due.RequestId, cancellationToken);
        if (!PortfolioReviews.IsOpen(request, due.Round))
        {
            LogAnswered(logger, due.RequestId, due.Round);
            return;
        }

        foreach (var adminId in access.AdminIdsOf(request.TenantId))
        {
            var notice = new PortfolioOverduePayload(request.TenantId, request.Id, due.Round, adminId);
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
            Comment = $"Periodic review {due.Round.ToString(CultureInfo.InvariantCulture)} asked {request.PortfolioCheck!.AskedAt:yyyy-MM-dd} and not answered.",
        }, $"overdue-{due.Round.ToString(CultureInfo.InvariantCulture)}", cancellationToken);
        LogOverdue(logger, request.Id, due.Round);
    }

    public Task OnFailedAsync(DueWorkItem item, string reason, CancellationToken cancellationToken)
    {
        var due = WorkOutbox.Read<PortfolioRoundPayload>(item);
        return failures.RecordAsync(due.RequestId, $"Periodic review {due.Round} overdue notice", reason, cancellationToken, item.Id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Periodic review {Round} of {RequestId} is not overdue: answered or no longer in use")]
    private static partial void LogAnswered(ILogger logger, string requestId, int round);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Periodic review {Round} of {RequestId} is overdue; CoE admins will be told")]
    private static partial void LogOverdue(ILogger logger, string requestId, int round);
}

/// <summary>Tells one CoE admin, 1:1, that a periodic review is overdue; skipped if the maker answered meanwhile.</summary>
public sealed partial class PortfolioOverdueNoticeHandler(
    IRequestStore requests,
    IConversationReferenceStore references,
    ConnectorClient connector,
    NotificationFailures failures,
    ILogger<PortfolioOverdueNoticeHandler> logger) : IOutboxHandler
{
    public string Kind => PortfolioReviews.OverdueNoticeKind;

    public async Task HandleAsync(DueWorkItem item, CancellationToken cancellationToken)
    {
        var notice = WorkOutbox.Read<PortfolioOverduePayload>(item);
        var request = await requests.GetAsync(notice.TenantId, notice.RequestId, cancellationToken);
        if (!PortfolioReviews.IsOpen(request, notice.Round))
        {
            return;
        }

        if (await references.GetAdminChatAsync(notice.AdminId, request.TenantId, cancellationToken) is not { } reference)
        {
            LogAdminUnreachable(logger, notice.AdminId, request.Id);
            return;
        }

        await connector.SendToReferenceAsync(reference, Notice(request), cancellationToken);
    }

    public Task OnFailedAsync(DueWorkItem item, string reason, CancellationToken cancellationToken)
    {
        var notice = WorkOutbox.Read<PortfolioOverduePayload>(item);
        return failures.RecordAsync(notice.RequestId, $"Periodic review {notice.Round} overdue notice to CoE admin {notice.AdminId}", reason, cancellationToken, item.Id);
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
