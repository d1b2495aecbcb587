
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

    /// <summary>"Tier 2 · async review": a tier with what it means for the request.</summary>
    public static string DescribeTier(int tier) => tier switch
    {
        1 => "Tier 1 · self-certified",
        2 => "Tier 2 · async review",
        3 => "Tier 3 · design review",
        4 => "Tier 4 · pro-dev build",
        _ => $"Tier {tier.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
    };
}
