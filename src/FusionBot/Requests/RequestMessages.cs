using FusionBot.Features.Outbox;
using FusionBot.Storage;

namespace FusionBot.Requests;

/// <summary>Which request an outbox item is about.</summary>
public sealed record ReviewRequestRef(string TenantId, string RequestId) : IRequestWork;

/// <summary>
/// A text for a request's thread or its maker. <see cref="Thread"/> names the thread when it is not the request's
/// current card (a reply in the thread of a card the request left).
/// </summary>
public sealed record ReviewMessage(string TenantId, string RequestId, string Text, ChannelMessage? Thread = null) : IRequestWork;

/// <summary>A review card that no longer follows the request (after a reclassification to another channel): closed with a text.</summary>
public sealed record RetiredCard(string TenantId, string RequestId, ChannelMessage Card, string Text) : IRequestWork;

/// <summary>
/// The outbox kinds a transition's follow-up work uses; their handlers live in the features that render the messages.
/// </summary>
public static class RequestWorkKinds
{
    public const string PostCard = "review-card-post";
    public const string UpdateCard = "review-card-update";
    public const string RetireCard = "review-card-retire";
    public const string ThreadReply = "review-thread-reply";
    public const string MakerNotice = "review-maker-notice";
    public const string AdminNotice = "request-admin-notice";
    public const string Settle = "request-settle";
}

/// <summary>Starts a review window: the due time and the reminder and breach items of <paramref name="cycle"/>.</summary>
public interface IReviewWindow
{
    (DateTimeOffset? DueAt, IReadOnlyList<DueWorkItem> Points) Start(GovernanceRequest request, DateTimeOffset at, int cycle);
}

/// <summary>The next periodic review of a solution in use, as an outbox item; null when it is not in use.</summary>
public interface IPeriodicReviewPlanner
{
    DueWorkItem? NextReview(GovernanceRequest request);

    /// <summary>
    /// The periodic review asked at once because the inventory shows the solution crossed a tier boundary, with
    /// <paramref name="facts"/> on the card; one item per <paramref name="crossing"/>. Null when it is not in use.
    /// </summary>
    DueWorkItem? ReviewNow(GovernanceRequest request, string facts, string crossing);
}

/// <summary>
/// Follow-up work a feature adds to every transition, decided on the request before and after it (e.g. the shared
/// backlog's work item created or moved). Enqueued with the transition's other work, once per item id.
/// </summary>
public interface IRequestFollowUps
{
    /// <param name="key">Unique per step of the transition: use it in item ids for work per transition.</param>
    IEnumerable<DueWorkItem> After(GovernanceRequest before, GovernanceRequest after, string key);
}
