namespace FusionBot.Features.Access;

/// <summary>CoE admins (section <c>Governance</c>): Entra object ids and/or one Entra group.</summary>
public sealed class GovernanceOptions
{
    public const string Section = "Governance";

    public List<string> AdminIds { get; set; } = [];
    public string? AdminGroupId { get; set; }
}

/// <summary>Pro-dev reviewers (section <c>Review</c>): Entra object ids and/or one Entra group.</summary>
public sealed class ReviewOptions
{
    public const string Section = "Review";

    public List<string> ReviewerIds { get; set; } = [];
    public string? ReviewerGroupId { get; set; }

    /// <summary>How long a group membership answer is trusted before the directory is asked again.</summary>
    public TimeSpan MembershipCacheDuration { get; set; } = TimeSpan.FromMinutes(5);
}
