namespace FusionBot.Requests;

/// <summary>What someone (or the bot) does to a request. Each is a row of <see cref="RequestLifecycle.Transitions"/>.</summary>
public enum RequestAction
{
    /// <summary>The maker confirms the intake summary: the request is created.</summary>
    Submit,
    SelfCertify,
    SendForReview,
    WaitForChannel,
    /// <summary>A Tier 2 reviewer picks the request up: it stays in review, named as theirs on the card and in reminders.</summary>
    Claim,
    Approve,
    RequestChanges,
    Reject,
    Reclassify,
    ScheduleDesignReview,
    TakeOwnership,
    Deliver,
    Withdraw,
    Resubmit,
    MarkSlaBreached,
    AnswerPeriodicReview,
    LowerTier,
    OutgrowTier,
}

/// <summary>Who may take an action.</summary>
[Flags]
public enum RequestRole
{
    None = 0,
    Maker = 1,
    Reviewer = 2,
    Admin = 4,

    /// <summary>FusionBot itself: routing, SLA, anything no person asked for at that moment.</summary>
    System = 8,
}

/// <summary>What a transition sets off besides the new status. Carried out by <see cref="RequestWorkflow"/>.</summary>
[Flags]
public enum RequestEffects
{
    None = 0,

    /// <summary>An event on the request's audit trail. Every transition has one.</summary>
    History = 1,

    /// <summary>A new review window: reminders and breach scheduled, a due time on the request.</summary>
    StartSla = 2,

    /// <summary>The review window ends: its pending reminders and escalations are dropped.</summary>
    StopSla = 4,

    /// <summary>The review card is posted as a new thread in the tier's channel (or updated in place when it already exists).</summary>
    PostCard = 8,

    /// <summary>The review card is re-rendered in place.</summary>
    UpdateCard = 16,

    /// <summary>The review card no longer follows the request (it moved tier): closed with what became of it.</summary>
    RetireCard = 32,

    /// <summary>A reply in the review card's thread saying what happened.</summary>
    ThreadReply = 64,

    /// <summary>The maker is told in their 1:1 chat (through the outbox).</summary>
    MakerNotice = 128,

    /// <summary>The solution is (again) in use: its next periodic review is scheduled.</summary>
    NextPeriodicReview = 256,

    /// <summary>The tenant's CoE admins are told in their 1:1 chats (through the outbox; its handler decides whether it is news).</summary>
    AdminNotice = 512,
}

/// <summary>One row of the lifecycle: from <see cref="From"/> (in one of <see cref="Tiers"/>), <see cref="Action"/> leads to <see cref="To"/>.</summary>
public sealed record Transition(
    RequestStatus? From, RequestAction Action, RequestStatus To, RequestRole Who, IReadOnlySet<int> Tiers, RequestEffects Effects, string HistoryAction);

/// <summary>
/// The one statement of a request's lifecycle: which action is allowed in which status (and tier), by whom, to which
/// status, with which side effects. Cards, commands and outbox handlers ask it; <see cref="RequestWorkflow"/> enforces it.
/// Pure and total: a status × action pair that is not listed is not allowed.
/// </summary>
public static class RequestLifecycle
{
    private const RequestRole Reviewers = RequestRole.Reviewer | RequestRole.Admin;
    private const RequestEffects Decided = RequestEffects.History | RequestEffects.StopSla | RequestEffects.UpdateCard
        | RequestEffects.ThreadReply | RequestEffects.MakerNotice;

    private static readonly IReadOnlySet<int> AnyTier = new HashSet<int> { 1, 2, 3, 4 };
    private static readonly IReadOnlySet<int> Tier1 = new HashSet<int> { 1 };
    private static readonly IReadOnlySet<int> Reviewed = new HashSet<int> { 2, 3, 4 };
    private static readonly IReadOnlySet<int> Tier2 = new HashSet<int> { 2 };
    private static readonly IReadOnlySet<int> Tier2Or3 = new HashSet<int> { 2, 3 };
    private static readonly IReadOnlySet<int> Tier3 = new HashSet<int> { 3 };
    private static readonly IReadOnlySet<int> Tier4 = new HashSet<int> { 4 };

    private static readonly RequestStatus[] InUseStatuses = [RequestStatus.SelfCertified, RequestStatus.Approved, RequestStatus.Delivered];

    private static readonly RequestStatus[] Withdrawable =
    [
        RequestStatus.Submitted, RequestStatus.PendingRouting, RequestStatus.PendingReview, RequestStatus.ChangesRequested,
        RequestStatus.DesignReviewScheduled, RequestStatus.InDevelopment,
    ];

    public static IReadOnlyList<Transition> Transitions { get; } =
    [
        new(null, RequestAction.Submit, RequestStatus.Submitted, RequestRole.Maker, AnyTier, RequestEffects.History, RequestActions.Submitted),
        new(RequestStatus.Submitted, RequestAction.SelfCertify, RequestStatus.SelfCertified, RequestRole.Maker, Tier1,
            RequestEffects.History | RequestEffects.NextPeriodicReview, RequestActions.SelfCertified),

        .. From([RequestStatus.Submitted, RequestStatus.PendingRouting], RequestAction.SendForReview, RequestStatus.PendingReview,
            RequestRole.System, Reviewed, RequestEffects.History | RequestEffects.StartSla | RequestEffects.PostCard, RequestActions.SentForReview),
        .. From([RequestStatus.Submitted, RequestStatus.PendingRouting, RequestStatus.PendingReview], RequestAction.WaitForChannel, RequestStatus.PendingRouting,
            RequestRole.System, Reviewed, RequestEffects.History | RequestEffects.StopSla | RequestEffects.MakerNotice | RequestEffects.AdminNotice,
            RequestActions.WaitingForChannel),

        new(RequestStatus.PendingReview, RequestAction.Claim, RequestStatus.PendingReview, Reviewers, Tier2,
            RequestEffects.History | RequestEffects.UpdateCard | RequestEffects.ThreadReply | RequestEffects.MakerNotice, RequestActions.Claimed),
        new(RequestStatus.PendingReview, RequestAction.Approve, RequestStatus.Approved, Reviewers, Tier2Or3,
            Decided | RequestEffects.NextPeriodicReview, RequestActions.Approved),
        new(RequestStatus.DesignReviewScheduled, RequestAction.Approve, RequestStatus.Approved, Reviewers, Tier3,
            Decided | RequestEffects.NextPeriodicReview, RequestActions.Approved),
        .. Verdicts(RequestAction.RequestChanges, RequestStatus.ChangesRequested, RequestActions.ChangesRequested),
        .. Verdicts(RequestAction.Reject, RequestStatus.Rejected, RequestActions.Rejected),
        new(RequestStatus.PendingReview, RequestAction.Reclassify, RequestStatus.PendingRouting, Reviewers, Reviewed,
            RequestEffects.History | RequestEffects.StopSla | RequestEffects.RetireCard | RequestEffects.ThreadReply | RequestEffects.MakerNotice,
            RequestActions.Reclassified),
        new(RequestStatus.DesignReviewScheduled, RequestAction.Reclassify, RequestStatus.PendingRouting, Reviewers, Tier3,
            RequestEffects.History | RequestEffects.StopSla | RequestEffects.RetireCard | RequestEffects.ThreadReply | RequestEffects.MakerNotice,
            RequestActions.Reclassified),
        new(RequestStatus.PendingReview, RequestAction.ScheduleDesignReview, RequestStatus.DesignReviewScheduled, Reviewers, Tier3,
            Decided, RequestActions.DesignReviewScheduled),
        new(RequestStatus.PendingReview, RequestAction.TakeOwnership, RequestStatus.InDevelopment, Reviewers, Tier4,
            Decided, RequestActions.OwnershipTaken),
        // FusionBot delivers too: when the request's item in the shared backlog is done.
        new(RequestStatus.InDevelopment, RequestAction.Deliver, RequestStatus.Delivered, Reviewers | RequestRole.System, Tier4,
            RequestEffects.History | RequestEffects.UpdateCard | RequestEffects.ThreadReply | RequestEffects.MakerNotice | RequestEffects.NextPeriodicReview,
            RequestActions.Delivered),

        .. From(Withdrawable, RequestAction.Withdraw, RequestStatus.Withdrawn, RequestRole.Maker, AnyTier,
            RequestEffects.History | RequestEffects.StopSla | RequestEffects.UpdateCard | RequestEffects.ThreadReply, RequestActions.Withdrawn),
        new(RequestStatus.ChangesRequested, RequestAction.Resubmit, RequestStatus.Submitted, RequestRole.Maker, AnyTier,
            RequestEffects.History | RequestEffects.RetireCard, RequestActions.Resubmitted),

        .. From([RequestStatus.PendingReview, RequestStatus.PendingRouting], RequestAction.MarkSlaBreached, null, RequestRole.System, Reviewed,
            RequestEffects.History | RequestEffects.UpdateCard, RequestActions.SlaBreached),

        .. From(InUseStatuses, RequestAction.AnswerPeriodicReview, null, RequestRole.Maker, AnyTier,
            RequestEffects.History | RequestEffects.MakerNotice | RequestEffects.NextPeriodicReview, RequestActions.PortfolioReviewed),
        .. From(InUseStatuses, RequestAction.LowerTier, null, RequestRole.Maker, AnyTier,
            RequestEffects.History | RequestEffects.MakerNotice | RequestEffects.NextPeriodicReview, RequestActions.TierLowered),
        .. From(InUseStatuses, RequestAction.OutgrowTier, RequestStatus.PendingRouting, RequestRole.Maker, AnyTier,
            RequestEffects.History | RequestEffects.RetireCard | RequestEffects.MakerNotice, RequestActions.OutgrewTier),
    ];

    /// <summary>The row for <paramref name="action"/> on a request in <paramref name="status"/> of <paramref name="tier"/>; null when not allowed.</summary>
    public static Transition? Find(RequestStatus? status, int tier, RequestAction action) =>
        Transitions.FirstOrDefault(t => t.From == status && t.Action == action && t.Tiers.Contains(tier));

    public static bool Allows(RequestStatus status, int tier, RequestAction action, RequestRole role) =>
        Find(status, tier, action) is { } transition && (transition.Who & role) != 0;

    /// <summary>What a reviewer may do now, in the order the review card shows the buttons.</summary>
    public static IReadOnlyList<RequestAction> ReviewerActions(RequestStatus status, int tier) =>
    [
        .. ReviewerOrder.Where(action => Allows(status, tier, action, RequestRole.Reviewer)),
    ];

    private static readonly RequestAction[] ReviewerOrder =
    [
        RequestAction.Claim, RequestAction.ScheduleDesignReview, RequestAction.TakeOwnership, RequestAction.Approve, RequestAction.RequestChanges,
        RequestAction.Reject, RequestAction.Reclassify, RequestAction.Deliver,
    ];

    /// <summary>Decided, certified, delivered or withdrawn: the maker can no longer withdraw it and no review clock runs.</summary>
    public static bool IsFinal(RequestStatus status) => Find(status, 1, RequestAction.Withdraw) is null;

    /// <summary>A solution the maker may use: the ones periodic reviews are for.</summary>
    public static bool InUse(RequestStatus status) => Find(status, 1, RequestAction.AnswerPeriodicReview) is not null;

    private static IEnumerable<Transition> Verdicts(RequestAction action, RequestStatus to, string historyAction) =>
    [
        new(RequestStatus.PendingReview, action, to, Reviewers, Reviewed, Decided, historyAction),
        new(RequestStatus.DesignReviewScheduled, action, to, Reviewers, Tier3, Decided, historyAction),
    ];

    /// <summary>One row per status; a null <paramref name="to"/> keeps the status (an event about the request, not a move).</summary>
    private static IEnumerable<Transition> From(
        RequestStatus[] statuses, RequestAction action, RequestStatus? to, RequestRole who, IReadOnlySet<int> tiers, RequestEffects effects, string historyAction) =>
        statuses.Select(status => new Transition(status, action, to ?? status, who, tiers, effects, historyAction));
}
