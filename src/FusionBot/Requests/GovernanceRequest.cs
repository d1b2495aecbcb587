using System.Text.Json.Serialization;
using FusionBot.Protocol.Models;

namespace FusionBot.Requests;

/// <summary>A maker's request, as stored. <see cref="ETag"/> guards every update.</summary>
public sealed record GovernanceRequest
{
    /// <summary>Short human-friendly id, e.g. FR-000123.</summary>
    public required string Id { get; init; }
    public required string TenantId { get; init; }
    public required string Title { get; init; }
    public required IntakeAnswers Answers { get; init; }
    public required int Tier { get; init; }
    public required IReadOnlyList<string> Reasons { get; init; }
    public required RequestStatus Status { get; init; }
    public required Person Maker { get; init; }

    /// <summary>The maker's 1:1 conversation: where their notifications go.</summary>
    public ConversationReference? MakerConversation { get; init; }

    public Person? Reviewer { get; init; }

    /// <summary>The review card in the tier's channel: the thread's conversation id and the card's activity id.</summary>
    public ChannelMessage? ReviewCard { get; init; }

    /// <summary>
    /// A review card post begun and not yet stored in <see cref="ReviewCard"/>: written before the post, so a retry
    /// after a crash looks the card up instead of posting a second one.
    /// </summary>
    public ReviewCardPosting? CardPosting { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>How many times the request entered review (a resubmission starts a new SLA window).</summary>
    public int ReviewCycle { get; init; }

    /// <summary>When the current review window was breached, if it was: shown on the card, reported in the digest.</summary>
    public DateTimeOffset? SlaBreachedAt { get; init; }

    /// <summary>The Tier 3 design review meeting, once a reviewer scheduled it.</summary>
    public DesignReviewMeeting? DesignReview { get; init; }

    /// <summary>The last decision's comment or reason, shown to the maker.</summary>
    public string? LastComment { get; init; }

    /// <summary>The latest periodic re-check of a solution in use, once one was asked.</summary>
    public PortfolioCheck? PortfolioCheck { get; init; }

    /// <summary>What the reports need from the history (first decision, review windows); null on rows not yet back-filled.</summary>
    public RequestMilestones? Milestones { get; init; }

    /// <summary>The index rows and totals last written with this row (<see cref="RequestIndex"/>); null on rows not yet indexed.</summary>
    public RequestIndexEntry? Indexed { get; init; }

    /// <summary>The work item in the shared backlog (Tier 3/4 once approved or taken over), when one was created.</summary>
    public BacklogItem? BacklogItem { get; init; }

    /// <summary>Transitions written but not yet fully recorded (history, follow-up work): see <see cref="RequestWorkflow"/>.</summary>
    public IReadOnlyList<PendingTransition> Pending { get; init; } = [];

    [JsonIgnore]
    public string? ETag { get; init; }
}

/// <summary>Someone the bot deals with, identified by the Teams id and, where known, the Entra object id.</summary>
public sealed record Person(string Id, string? AadObjectId, string? Name);

/// <summary>A Teams meeting created in the reviewer's calendar; <see cref="JoinUrl"/> goes on the card and to the maker.</summary>
public sealed record DesignReviewMeeting(DateTimeOffset Start, string? JoinUrl, string EventId);

/// <summary>
/// Review <see cref="Round"/> of a solution in use: asked at <see cref="AskedAt"/>, answered at <see cref="AnsweredAt"/>.
/// <see cref="OutgrewTier"/> is the tier it had when its answers last crossed into a higher one, carried over to later
/// rounds so the portfolio keeps listing the solution as outgrown.
/// </summary>
public sealed record PortfolioCheck(int Round, DateTimeOffset AskedAt, DateTimeOffset? AnsweredAt = null, int? OutgrewTier = null);

/// <summary>A work item in a shared backlog: <see cref="Provider"/> names the backlog (e.g. "AzureDevOps"), <see cref="Url"/> opens it.</summary>
public sealed record BacklogItem(string Provider, string Id, string Url);

public sealed record ChannelMessage(string ConversationId, string ActivityId, string ServiceUrl);

/// <summary>A review card about to be posted to <see cref="ChannelId"/> (of the team whose Entra group is <see cref="TeamGroupId"/>, when known).</summary>
public sealed record ReviewCardPosting(string ChannelId, string? TeamGroupId, DateTimeOffset StartedAt);

[JsonConverter(typeof(JsonStringEnumConverter<RequestStatus>))]
public enum RequestStatus
{
    Submitted,
    SelfCertified,
    PendingRouting,
    PendingReview,
    ChangesRequested,
    Approved,
    Rejected,
    DesignReviewScheduled,
    InDevelopment,
    Delivered,
    Withdrawn,
}
