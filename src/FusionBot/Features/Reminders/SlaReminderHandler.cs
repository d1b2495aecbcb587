using FusionBot.Features.Outbox;
using FusionBot.Features.Sla;
using FusionBot.Hosting;
using FusionBot.Protocol.Connector;
using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.Features.Reminders;

/// <summary>
/// A reminder point is due: if the request still waits in the same review cycle, reply in its review card's thread
/// with the time left, mentioning the assigned reviewer. One reply per item; a retry happens only when the reply failed.
/// </summary>
public sealed partial class SlaReminderHandler(
    IRequestStore requests,
    ConnectorClient connector,
    SlaClock clock,
    NotificationFailures failures,
    TimeProvider time,
    ILogger<SlaReminderHandler> logger) : IOutboxHandler
{
    public string Kind => SlaScheduler.ReminderKind;

    public async Task HandleAsync(DueWorkItem item, CancellationToken cancellationToken)
    {
        var point = WorkOutbox.Read<SlaPointPayload>(item);
        var request = await requests.GetAsync(point.TenantId, point.RequestId, cancellationToken);
        if (request is null || !SlaWaiting.IsAwaiting(request, point.Cycle))
        {
            LogNoLongerWaiting(logger, point.RequestId, point.PointKey, point.Cycle);
            return;
        }

        if (request.ReviewCard is not { } card || request.DueAt is not { } dueAt)
        {
            // Still waiting for a review channel: there is no thread to remind in; the breach escalates it.
            LogNoCard(logger, request.Id, point.PointKey);
            return;
        }

        var reminder = SlaMessages.Reminder(request, clock.WorkingTimeBetween(time.GetUtcNow(), dueAt), dueAt);
        await connector.ReplyToActivityAsync(card.ServiceUrl, card.ConversationId, card.ActivityId, reminder, cancellationToken);
        FusionBotTelemetry.SlaReminders.Add(1);
        LogReminded(logger, request.Id, point.PointKey, point.Cycle);
    }

    public Task OnFailedAsync(DueWorkItem item, string reason, CancellationToken cancellationToken)
    {
        var point = WorkOutbox.Read<SlaPointPayload>(item);
        return failures.RecordAsync(point.RequestId, $"SLA reminder {point.PointKey} in the review thread", reason, cancellationToken, item.Id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SLA reminder {Point} of {RequestId} (cycle {Cycle}) skipped: the request no longer waits in that cycle")]
    private static partial void LogNoLongerWaiting(ILogger logger, string requestId, string point, int cycle);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SLA reminder {Point} of {RequestId} skipped: it has no review card (or due time) to reply to")]
    private static partial void LogNoCard(ILogger logger, string requestId, string point);

    [LoggerMessage(Level = LogLevel.Information, Message = "SLA reminder {Point} of {RequestId} (cycle {Cycle}) sent")]
    private static partial void LogReminded(ILogger logger, string requestId, string point, int cycle);
}
