namespace FusionBot.Graph;

/// <summary>Microsoft Graph, app-only (section <c>Graph</c>). Credentials are the bot's own (MicrosoftAppId and friends).</summary>
public sealed class GraphOptions
{
    public const string Section = "Graph";
    public const string DefaultBaseUrl = "https://graph.microsoft.com/v1.0";
    public const string Scope = "https://graph.microsoft.com/.default";

    public string? BaseUrl { get; set; }

    /// <summary>The OAuth 2.0 token endpoint; default the Entra endpoint of <c>MicrosoftAppTenantId</c>. Overridable for tests and sovereign clouds.</summary>
    public string? TokenEndpoint { get; set; }

    /// <summary>How long a Graph call may take before the card action answers with an error instead.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(3);

    public string EffectiveBaseUrl => string.IsNullOrWhiteSpace(BaseUrl) ? DefaultBaseUrl : BaseUrl.TrimEnd('/');
}
