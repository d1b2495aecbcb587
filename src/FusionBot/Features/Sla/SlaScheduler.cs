using FusionBot.Features.Outbox;
using FusionBot.Requests;

namespace FusionBot.Features.Sla;

/// <summary>What a reminder or breach item carries: the request and which point of its SLA window it is.</summary>
public sealed record SlaPointPayload(string TenantId, string RequestId, string PointKey, SlaPointKind Kind, int Cycle) : IRequestWork;

/// <summary>
/// Puts a request's SLA reminders and breach into the outbox when it enters review. Ids carry the review cycle
/// (a resubmission starts a new window), so the same point of the same window is stored once, whoever schedules it.
/// </summary>
public sealed class SlaScheduler(SlaClock clock, WorkOutbox outbox)
{
    public const string ReminderKind = "sla-reminder";
    public const string BreachKind = "sla-breach";

    /// <summary>Schedules the points of the window that starts at <paramref name="enteredReviewAt"/>; returns the due time.</summary>
    public async Task<DateTimeOffset?> ScheduleAsync(GovernanceRequest request, DateTimeOffset enteredReviewAt, int cycle, CancellationToken cancellationToken)
    {
        foreach (var point in clock.PointsFor(request.Tier, enteredReviewAt))
        {
            await outbox.EnqueueAsync(
                $"sla:{request.Id}:{cycle}:{point.Key}",
                point.Kind == SlaPointKind.Breach ? BreachKind : ReminderKind,
                new SlaPointPayload(request.TenantId, request.Id, point.Key, point.Kind, cycle),
                point.At,
                request.Id,
                cancellationToken);
        }

        return clock.DueAt(request.Tier, enteredReviewAt);
    }

    /// <summary>A decision stops the clock: whatever is still pending for the request is dropped.</summary>
    public Task StopAsync(string requestId, CancellationToken cancellationToken) =>
        outbox.CancelForRequestAsync(requestId, cancellationToken);
}
