namespace FusionBot.Requests;

/// <summary>
/// The history <see cref="Requests.RequestHistoryEvent.Action"/> names the digest reads. Intake, tracking and review
/// write these strings; they are gathered here so the digest's meaning of each is stated once.
/// </summary>
public static class RequestActions
{
    public const string Submitted = "Submitted";
    public const string SentForReview = "SentForReview";
    public const string SelfCertified = "SelfCertified";
    public const string Withdrawn = "Withdrawn";
    public const string Claimed = "Claimed";
    public const string Approved = "Approved";
    public const string ChangesRequested = "ChangesRequested";
    public const string Rejected = "Rejected";
    public const string Reclassified = "Reclassified";
    public const string DesignReviewScheduled = "DesignReviewScheduled";
    public const string OwnershipTaken = "OwnershipTaken";
    public const string Delivered = "Delivered";
    public const string Resubmitted = "Resubmitted";
    public const string WaitingForChannel = "WaitingForChannel";
    public const string SlaBreached = "SlaBreached";
    public const string NotificationFailed = "NotificationFailed";
    public const string ComponentUsed = "ComponentUsed";
    public const string PortfolioReviewed = "PortfolioReviewed";
    public const string OutgrewTier = "OutgrewTier";
    public const string PortfolioReviewOverdue = "PortfolioReviewOverdue";
    public const string TierLowered = "TierLowered";
    public const string PersonalDataErased = "PersonalDataErased";
    public const string SolutionLinked = "SolutionLinked";
    public const string SolutionGrew = "SolutionGrew";
    public const string DeploymentProceeded = "DeploymentProceeded";
    public const string DeploymentRejected = "DeploymentRejected";
    public const string PromotionRequested = "PromotionRequested";
    public const string PromotionTimedOut = "PromotionTimedOut";
    public const string BacklogItemCreated = "BacklogItemCreated";
    public const string BacklogItemDone = "BacklogItemDone";

    /// <summary>What ends a review window: a verdict, or the tier's first step (Tier 3 meeting set, Tier 4 owner found).</summary>
    public static readonly IReadOnlySet<string> Decisions =
        new HashSet<string>(StringComparer.Ordinal) { Approved, ChangesRequested, Rejected, DesignReviewScheduled, OwnershipTaken };

    /// <summary>A solution the maker may now use: certified by themselves (Tier 1), approved, or built and handed over.</summary>
    public static readonly IReadOnlySet<string> SolutionsDelivered =
        new HashSet<string>(StringComparer.Ordinal) { Delivered, SelfCertified, Approved };

    /// <summary>An action as people read it in a history list.</summary>
    public static string Describe(string action) => action switch
    {
        SentForReview => "Sent for review",
        SelfCertified => "Self-certified",
        Claimed => "Picked up",
        ChangesRequested => "Changes requested",
        DesignReviewScheduled => "Design review scheduled",
        OwnershipTaken => "Ownership taken",
        WaitingForChannel => "Waiting for a review channel",
        SlaBreached => "Review overdue",
        NotificationFailed => "Notification failed",
        ComponentUsed => "Reuses a catalogue component",
        PortfolioReviewed => "Periodic review answered",
        OutgrewTier => "Outgrew its tier",
        PortfolioReviewOverdue => "Periodic review overdue",
        TierLowered => "Re-classified to a lower tier",
        PersonalDataErased => "Personal data erased",
        SolutionLinked => "Linked to a solution",
        SolutionGrew => "Grew past its tier in the inventory",
        DeploymentProceeded => "Deployment allowed",
        DeploymentRejected => "Deployment rejected",
        PromotionRequested => "Promotion to production asked",
        PromotionTimedOut => "Promotion timed out",
        BacklogItemCreated => "Backlog item created",
        BacklogItemDone => "Backlog item done",
        _ => action,
    };
}
