using FusionBot.Requests;

namespace FusionBot.Features.Sla;

/// <summary>
/// Whether a request still waits for the event its SLA measures. Tier 2 waits for a decision, Tier 3 for the design
/// review to be scheduled, Tier 4 for a pro developer to take ownership: each of those moves the request out of the
/// waiting statuses (to a decision, DesignReviewScheduled or InDevelopment), as does a withdrawal. A point from an
/// earlier review cycle never applies: a resubmission starts a new window with its own points.
/// </summary>
public static class SlaWaiting
{
    public static bool IsAwaiting(GovernanceRequest request, int cycle) =>
        request.Tier > 1
        && request.ReviewCycle == cycle
        && request.Status is RequestStatus.PendingReview or RequestStatus.PendingRouting;
}
