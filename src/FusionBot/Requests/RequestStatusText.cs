
namespace FusionBot.Requests;

public static class RequestStatusText
{
    public static string Describe(RequestStatus status) => status switch
    {
        RequestStatus.Submitted => "Submitted",
        RequestStatus.SelfCertified => "Self-certified",
        RequestStatus.PendingRouting => "Waiting for a review channel",
        RequestStatus.PendingReview => "Pending review",
        RequestStatus.ChangesRequested => "Changes requested",
        RequestStatus.Approved => "Approved",
        RequestStatus.Rejected => "Rejected",
        RequestStatus.DesignReviewScheduled => "Design review scheduled",
        RequestStatus.InDevelopment => "In development",
        RequestStatus.Delivered => "Delivered",
        RequestStatus.Withdrawn => "Withdrawn",
        _ => status.ToString(),
    };
}
