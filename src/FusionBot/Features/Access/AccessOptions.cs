namespace FusionBot.Features.Access;

/// <summary>
/// CoE admins (section <c>Governance</c>): Entra object ids and/or one Entra group. Object ids and groups belong to
/// one tenant: the top-level lists (these and <see cref="ReviewOptions"/>') to <see cref="TenantId"/>, and
/// <see cref="Tenants"/> gives other tenants their own.
/// </summary>
public sealed class GovernanceOptions
{
    public const string Section = "Governance";

    public List<string> AdminIds { get; set; } = [];
    public string? AdminGroupId { get; set; }

    /// <summary>
    /// The tenant the top-level admin and reviewer lists belong to; default <c>MicrosoftAppTenantId</c>. Unset with no
    /// app tenant either (a single-tenant deployment of old), they count in every tenant that has no entry in <see cref="Tenants"/>.
    /// </summary>
    public string? TenantId { get; set; }

    /// <summary>Admins and reviewers of further tenants, by tenant id (<c>Governance:Tenants:{tenantId}:AdminIds</c> …).</summary>
    public Dictionary<string, TenantAccessOptions> Tenants { get; set; } = [];
}

/// <summary>One tenant's CoE admins and pro-dev reviewers (<c>Governance:Tenants:{tenantId}</c>).</summary>
public sealed class TenantAccessOptions
{
    public List<string> AdminIds { get; set; } = [];
    public string? AdminGroupId { get; set; }
    public List<string> ReviewerIds { get; set; } = [];
    public string? ReviewerGroupId { get; set; }
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
