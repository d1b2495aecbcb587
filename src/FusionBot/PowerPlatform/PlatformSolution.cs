using FusionBot.Requests;

namespace FusionBot.PowerPlatform;

/// <summary>
/// An app, cloud flow or Copilot Studio agent as the inventory sees it: who owns it, when it was made and changed,
/// which connectors it uses (api names, custom ones marked) and with how many it is shared.
/// </summary>
public sealed record PlatformSolution
{
    public required SolutionKind Kind { get; init; }
    public required string EnvironmentName { get; init; }
    public required string Id { get; init; }
    public required string DisplayName { get; init; }

    /// <summary>The owner's Entra object id, when the API names one.</summary>
    public string? OwnerObjectId { get; init; }
    public string? OwnerName { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? ModifiedAt { get; init; }
    public IReadOnlyList<PlatformConnectorUse> Connectors { get; init; } = [];
    public int SharedUsers { get; init; }
    public int SharedGroups { get; init; }
    public bool SharedWithEveryone { get; init; }

    /// <summary>People it reaches as far as the counts tell (a group counts as one; everyone is not a count).</summary>
    public int SharedWith => SharedUsers + SharedGroups;
}

/// <summary>A connector a solution uses: its api name (<c>shared_sql</c>), display name, and whether it is a custom connector.</summary>
public sealed record PlatformConnectorUse(string ApiName, string DisplayName, bool IsCustom);
