using System.Text.Json;
using FusionBot.Features.Outbox;
using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.Features.Sla;

/// <summary>What a reminder or breach item carries: the request and which point of its SLA window it is.</summary>
public sealed record SlaPointPayload(string TenantId, string RequestId, string PointKey, SlaPointKind Kind, int Cycle) : IRequestWork;

/// <summary>
/// A request's SLA reminders and breach as outbox items, for the transition that puts it in review. Ids carry the
/// review cycle (a resubmission starts a new window), so the same point of the same window is stored once; items are
/// tied to the request, so the transition that ends the window drops what is still pending.
/// </summary>
public sealed class SlaScheduler(SlaClock clock) : IReviewWindow
{
    public const string ReminderKind = "sla-reminder";
    public const string BreachKind = "sla-breach";

    public (DateTimeOffset? DueAt, IReadOnlyList<DueWorkItem> Points) Start(GovernanceRequest request, DateTimeOffset at, int cycle)
    {
        ArgumentNullException.ThrowIfNull(request);
        var points = clock.PointsFor(request.Tier, at).Select(point => new DueWorkItem
        {
            Id = $"sla:{request.Id}:{cycle}:{point.Key}",
            Kind = point.Kind == SlaPointKind.Breach ? BreachKind : ReminderKind,
            DueAt = point.At,
            Payload = JsonSerializer.Serialize(new SlaPointPayload(request.TenantId, request.Id, point.Key, point.Kind, cycle), WorkOutbox.PayloadJson),
            RequestId = request.Id,
        }).ToList();
        return (clock.DueAt(request.Tier, at), points);
    }
}
