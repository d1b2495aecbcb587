using FusionBot.Cards;
using FusionBot.Features.Outbox;
using FusionBot.Hosting;
using FusionBot.Protocol.Connector;
using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.Features.Sla;

/// <summary>
/// A reminder point is due: if the request still waits in the same review cycle, reply in its review card's thread
/// with the time left, mentioning the assigned reviewer. One reply per item; a retry happens only when the reply failed.
/// A reminder is worth sending only before the due time: one that comes late (after a crash or an outage) is dropped,
/// and a send still under way at the due time is cut, so no reminder follows the breach alert.
/// </summary>
public sealed partial class SlaReminderHandler(
    IRequestStore requests,
    IConversationReferenceStore references,
    ConnectorClient connector,
    SlaClock clock,
    NotificationFailures failures,
    TimeProvider time,
    ILogger<SlaReminderHandler> logger) : RequestOutboxHandler<SlaPointPayload>(SlaScheduler.ReminderKind, requests, failures, logger)
{
    protected override bool IsWanted(GovernanceRequest request, SlaPointPayload payload) => SlaWaiting.IsAwaiting(request, payload.Cycle);

    protected override string Describe(SlaPointPayload payload) => $"SLA reminder {payload.PointKey} in the review thread";

    protected override async Task HandleAsync(GovernanceRequest request, SlaPointPayload payload, CancellationToken cancellationToken)
    {
        if (request.ReviewCard is not { } card || request.DueAt is not { } dueAt)
        {
            // Still waiting for a review channel: there is no thread to remind in; the breach escalates it.
            LogNoCard(Logger, request.Id, payload.PointKey);
            return;
        }

        var now = time.GetUtcNow();
        if (now >= dueAt || request.SlaBreachedAt is not null)
        {
            LogTooLate(Logger, request.Id, payload.PointKey);
            return;
        }

        // The reminder @mentions the assigned reviewer: their due time is the one that matters.
        var zone = request.Reviewer is { } reviewer
            ? LocalTime.Find(await references.GetTimeZoneForUserAsync(request.TenantId, reviewer.AadObjectId, reviewer.Id, cancellationToken))
            : null;
        var reminder = SlaMessages.Reminder(request, clock.WorkingTimeBetween(now, dueAt), dueAt, zone);
        using var dueTime = new CancellationTokenSource(dueAt - now, time);
        using var beforeDue = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, dueTime.Token);
        try
        {
            await connector.ReplyToActivityAsync(card.ServiceUrl, card.ConversationId, card.ActivityId, reminder, beforeDue.Token);
        }
        catch (OperationCanceledException) when (dueTime.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            LogTooLate(Logger, request.Id, payload.PointKey);
            return;
        }

        FusionBotTelemetry.SlaReminders.Add(1);
        LogReminded(Logger, request.Id, payload.PointKey, payload.Cycle);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SLA reminder {Point} of {RequestId} skipped: it has no review card (or due time) to reply to")]
    private static partial void LogNoCard(ILogger logger, string requestId, string point);

    [LoggerMessage(Level = LogLevel.Information, Message = "SLA reminder {Point} of {RequestId} dropped: the due time came first; the breach covers it")]
    private static partial void LogTooLate(ILogger logger, string requestId, string point);

    [LoggerMessage(Level = LogLevel.Information, Message = "SLA reminder {Point} of {RequestId} (cycle {Cycle}) sent")]
    private static partial void LogReminded(ILogger logger, string requestId, string point, int cycle);
}
