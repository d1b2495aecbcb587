namespace FusionBot.Features.Backlog;

/// <summary>
/// The shared backlog of makers and pro developers (section <c>Backlog</c>): an Azure DevOps project where each Tier 3/4
/// request that is approved or taken over gets one work item. Off until <see cref="Organization"/> is set.
/// </summary>
public sealed class BacklogOptions
{
    public const string Section = "Backlog";

    /// <summary>The Azure DevOps organisation, as in <c>https://dev.azure.com/{organisation}</c>.</summary>
    public string? Organization { get; set; }

    public string? Project { get; set; }

    /// <summary>The work item type to create: <c>User Story</c> (Agile), <c>Product Backlog Item</c> (Scrum), <c>Issue</c> (Basic).</summary>
    public string WorkItemType { get; set; } = "User Story";

    /// <summary>Where new items are filed; empty: the project's default area.</summary>
    public string? AreaPath { get; set; }

    /// <summary>The Entra tenant whose requests go to this backlog (the organisation's tenant); other tenants' requests get no item.</summary>
    public string? TenantId { get; set; }

    /// <summary>
    /// The work item state each request status moves the item to; statuses not listed leave it alone. Defaults fit the
    /// Agile process; use the states of your process (Scrum: Approved, Committed, Done, Removed).
    /// </summary>
    public IList<BacklogState> States { get; set; } = [];

    /// <summary>Item states that mean the work is done: the request moves to Delivered (Tier 4) or records it (Tier 3).</summary>
    public IList<string> DoneStates { get; set; } = [];

    /// <summary>The password of the service hook's basic authentication (at least 16 characters; keep it in Key Vault).</summary>
    public string? ServiceHookPassword { get; set; }

    /// <summary>Azure DevOps' address; overridable for Azure DevOps Server and tests.</summary>
    public Uri BaseUrl { get; set; } = new("https://dev.azure.com/");

    /// <summary>Overrides the token endpoint for the bot's Azure DevOps tokens (tests, sovereign clouds).</summary>
    public string? TokenEndpoint { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Organization);

    /// <summary><see cref="States"/> as set, else the Agile process's states.</summary>
    public IReadOnlyDictionary<string, string> EffectiveStates => States.Count > 0
        ? States.Where(s => s.Status is { Length: > 0 } && s.State is { Length: > 0 }).ToDictionary(s => s.Status!, s => s.State!, StringComparer.OrdinalIgnoreCase)
        : DefaultStates;

    public IReadOnlyList<string> EffectiveDoneStates => DoneStates.Count > 0 ? [.. DoneStates] : ["Closed", "Done"];

    private static readonly Dictionary<string, string> DefaultStates = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Approved"] = "New",
        ["InDevelopment"] = "Active",
        ["Delivered"] = "Closed",
        ["Rejected"] = "Removed",
        ["Withdrawn"] = "Removed",
    };
}

/// <summary>One row of <see cref="BacklogOptions.States"/>: a request status and the work item state it means.</summary>
public sealed class BacklogState
{
    public string? Status { get; set; }
    public string? State { get; set; }
}
