using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using FusionBot.Features.Outbox;
using FusionBot.Requests;
using FusionBot.Storage;
using Microsoft.Extensions.Options;

namespace FusionBot.Features.Portfolio;

/// <summary>Which periodic review of which request an outbox item is about.</summary>
/// <param name="Facts">What the inventory saw that started this round early ("now shared with 130 people, was 30").</param>
public sealed record PortfolioRoundPayload(string TenantId, string RequestId, int Round, string? Facts = null) : IRequestWork;

/// <summary>
/// Schedules the periodic review of solutions in use. Item ids are deterministic (<c>portfolio:{requestId}:{round}</c>),
/// so however many instances or decisions ask for the same round, it is stored once. Items carry no request id on
/// purpose: a decision stopping the SLA clock must not drop them; their handlers re-read the request instead.
/// </summary>
public sealed class PortfolioReviews(WorkOutbox outbox, IOptions<PortfolioOptions> options, TimeProvider time) : IPeriodicReviewPlanner
{
    public const string AskKind = "portfolio-review";
    public const string ReminderKind = "portfolio-reminder";
    public const string OverdueKind = "portfolio-overdue";
    public const string OverdueNoticeKind = "portfolio-overdue-notice";

    /// <summary>Solutions the maker may use: the ones periodic reviews are for (<see cref="RequestLifecycle.InUse"/>).</summary>
    public static bool InUse(RequestStatus status) => RequestLifecycle.InUse(status);

    public static string AskId(string requestId, int round) => $"portfolio:{requestId}:{round}";

    public static string ReminderId(string requestId, int round) => $"portfolio:{requestId}:{round}:reminder";

    public static string OverdueId(string requestId, int round) => $"portfolio:{requestId}:{round}:overdue";

    /// <summary>
    /// After a request becomes usable (or its last review was answered): its next review, one interval from now, as the
    /// outbox item the transition leaves behind. Null for a request not in use.
    /// </summary>
    public DueWorkItem? NextReview(GovernanceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!InUse(request.Status))
        {
            return null;
        }

        var round = (request.PortfolioCheck?.Round ?? 0) + 1;
        return new DueWorkItem
        {
            Id = AskId(request.Id, round),
            Kind = AskKind,
            DueAt = time.GetUtcNow() + options.Value.ReviewInterval,
            Payload = JsonSerializer.Serialize(new PortfolioRoundPayload(request.TenantId, request.Id, round), WorkOutbox.PayloadJson),
        };
    }

    public DueWorkItem? ReviewNow(GovernanceRequest request, string facts, string crossing)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!InUse(request.Status))
        {
            return null;
        }

        // An open round is asked again with the facts; otherwise the next round is brought forward. The item that was
        // waiting for the interval finds that round answered (or asks it once more, as a reminder).
        var round = request.PortfolioCheck is { AnsweredAt: null } open ? open.Round : (request.PortfolioCheck?.Round ?? 0) + 1;
        return new DueWorkItem
        {
            Id = $"{AskId(request.Id, round)}:{crossing}",
            Kind = AskKind,
            DueAt = time.GetUtcNow(),
            Payload = JsonSerializer.Serialize(new PortfolioRoundPayload(request.TenantId, request.Id, round, facts), WorkOutbox.PayloadJson),
        };
    }

    /// <summary>
    /// If the round is still unanswered, the maker is reminded once after the grace, and the CoE admins are told once
    /// after a second grace (when <see cref="IsOverdue"/> starts to hold).
    /// </summary>
    public async Task ScheduleFollowUpsAsync(GovernanceRequest request, int round, DateTimeOffset askedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var payload = new PortfolioRoundPayload(request.TenantId, request.Id, round);
        var grace = options.Value.ReviewGrace;
        await outbox.EnqueueAsync(ReminderId(request.Id, round), ReminderKind, payload, askedAt + grace, cancellationToken: cancellationToken);
        await outbox.EnqueueAsync(OverdueId(request.Id, round), OverdueKind, payload, askedAt + grace + grace, cancellationToken: cancellationToken);
    }

    /// <summary>The round is asked and not yet answered.</summary>
    public static bool IsOpen([NotNullWhen(true)] GovernanceRequest? request, int round) =>
        request is not null && InUse(request.Status) && request.PortfolioCheck is { AnsweredAt: null } open && open.Round == round;

    /// <summary>Asked, unanswered, and past the grace twice: the maker was reminded and still said nothing.</summary>
    public static bool IsOverdue(GovernanceRequest request, DateTimeOffset now, TimeSpan grace) =>
        InUse(request.Status) && request.PortfolioCheck is { AnsweredAt: null } check && check.AskedAt + grace + grace <= now;
}
