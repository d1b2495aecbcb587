namespace FusionBot.PowerPlatform;

/// <summary>
/// The Power Platform admin APIs (section <c>Platform</c>). Off unless <see cref="TenantId"/> is set: then the bot reads
/// that tenant's environments, data policies, apps, flows and agents with an app-only token of its own identity.
/// </summary>
public sealed class PowerPlatformOptions
{
    public const string Section = "Platform";

    /// <summary>The Entra tenant whose Power Platform is read. Empty: the Power Platform features are off.</summary>
    public string? TenantId { get; set; }

    /// <summary>The app registration or user-assigned managed identity the bot reads with; empty: the system-assigned identity.</summary>
    public string? ClientId { get; set; }

    /// <summary>With an app registration's secret the token comes from it; without, from the managed identity.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Power Platform admin (BAP): environments and data policies. Sovereign clouds and tests change it.</summary>
    public Uri BapUrl { get; set; } = new("https://api.bap.microsoft.com");

    public Uri PowerAppsUrl { get; set; } = new("https://api.powerapps.com");

    public Uri FlowUrl { get; set; } = new("https://api.flow.microsoft.com");

    /// <summary>Token scope for BAP; the Power Apps and Flow admin APIs share the audience in public cloud.</summary>
    public string BapScope { get; set; } = "https://api.bap.microsoft.com/.default";

    public string PowerAppsScope { get; set; } = "https://service.powerapps.com/.default";

    public string FlowScope { get; set; } = "https://service.flow.microsoft.com/.default";

    /// <summary>How often one call is tried when throttled (429) or the service is busy (503), honouring Retry-After.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The longest Retry-After honoured; a longer one fails the call (the sync is retried by the outbox).</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The daily sync's time of day (UTC).</summary>
    public TimeSpan SyncAt { get; set; } = TimeSpan.FromHours(2);

    /// <summary>A solution shared with at least this many people (users, plus members of groups counted as one each) is flagged.</summary>
    public int FlagSharedWith { get; set; } = 25;

    /// <summary>A solution older than this that is still unregistered is flagged.</summary>
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromDays(30);

    /// <summary>A linked solution whose sharing grows past this (from below) has its periodic review started at once.</summary>
    public int ReviewWhenSharedWith { get; set; } = 50;

    /// <summary>
    /// The bot's id in the organisation's Teams app catalog. Set (and Graph's <c>TeamsAppInstallation.ReadWriteSelfForUser.All</c>
    /// granted), an owner with no chat with the bot gets it installed through Graph, then the card; unset, they are listed for the CoE.
    /// </summary>
    public string? TeamsAppId { get; set; }

    /// <summary>How long after installing the bot for an owner the card is sent (Teams tells the bot of the new chat meanwhile).</summary>
    public TimeSpan InstallWait { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long after an owner card was delivered the owner, if they neither registered nor linked the solution, is reminded once.</summary>
    public TimeSpan OwnerReminderAfter { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long after an owner card was delivered the CoE admins are told, once, that it is still unanswered.</summary>
    public TimeSpan OwnerEscalationAfter { get; set; } = TimeSpan.FromDays(14);

    public bool Enabled => !string.IsNullOrWhiteSpace(TenantId);
}
