namespace FusionBot.Protocol.Authentication;

/// <summary>
/// The bot's identity and the endpoints it trusts. The app id, password, tenant and type are read from the root
/// configuration keys Azure Bot Service uses (<c>MicrosoftAppId</c>, …); endpoint overrides from section <c>BotFramework</c>.
/// </summary>
public sealed class BotFrameworkOptions
{
    public const string SectionName = "BotFramework";

    /// <summary>The bot's Entra app (or managed identity client) id. Empty turns inbound authentication off.</summary>
    public string? MicrosoftAppId { get; set; }

    public string? MicrosoftAppPassword { get; set; }

    public string? MicrosoftAppTenantId { get; set; }

    /// <summary><see cref="BotAppTypes.MultiTenant"/> (default), <see cref="BotAppTypes.SingleTenant"/> or <see cref="BotAppTypes.UserAssignedMsi"/>.</summary>
    public string MicrosoftAppType { get; set; } = BotAppTypes.MultiTenant;

    public string OpenIdMetadataUrl { get; set; } = AuthenticationConstants.BotFrameworkOpenIdMetadataUrl;

    /// <summary>Overrides the client-credentials token endpoint; by default derived from the app type and tenant.</summary>
    public string? TokenEndpoint { get; set; }

    /// <summary>Entra ID metadata for single-tenant tokens; <c>{tenant}</c> is replaced by the tenant id.</summary>
    public string EntraOpenIdMetadataUrlTemplate { get; set; } = AuthenticationConstants.EntraOpenIdMetadataUrlTemplate;

    /// <summary>
    /// App ids allowed to call the bot with a token issued by the bot's own Entra ID tenant (<c>azp</c> of v2 tokens,
    /// <c>appid</c> of v1). Empty: such tokens are refused; only Bot Framework channel tokens are accepted.
    /// </summary>
    public IList<string> AllowedCallers { get; set; } = [];

    /// <summary>
    /// Service URLs (base URLs) the bot may answer on besides the public-cloud Teams hosts, e.g. a sovereign cloud's or a
    /// test connector's. Plain http is allowed only for URLs listed here.
    /// </summary>
    public IList<string> AllowedServiceUrls { get; set; } = [];

    /// <summary>
    /// Tenants whose activities are served. Empty: the bot's own tenant for SingleTenant and UserAssignedMSI bots,
    /// every tenant for MultiTenant bots.
    /// </summary>
    public IList<string> AllowedTenants { get; set; } = [];

    public bool IsAuthenticationEnabled => !string.IsNullOrWhiteSpace(MicrosoftAppId);

    /// <summary>Bots of these types live in one tenant: Azure Bot Service may call them with tokens of that tenant.</summary>
    public bool IsSingleTenantIdentity => IsSingleTenant || IsManagedIdentity;

    /// <summary>The tenants served; empty means every tenant.</summary>
    public IReadOnlyList<string> GetAllowedTenants() =>
        AllowedTenants.Count > 0 ? [.. AllowedTenants]
        : IsSingleTenantIdentity && !string.IsNullOrWhiteSpace(MicrosoftAppTenantId) ? [MicrosoftAppTenantId]
        : [];

    public bool IsSingleTenant => string.Equals(MicrosoftAppType, BotAppTypes.SingleTenant, StringComparison.OrdinalIgnoreCase);

    public bool IsManagedIdentity => string.Equals(MicrosoftAppType, BotAppTypes.UserAssignedMsi, StringComparison.OrdinalIgnoreCase);

    public Uri GetTokenEndpoint() => new(string.IsNullOrWhiteSpace(TokenEndpoint)
        ? AuthenticationConstants.TokenEndpoint(IsSingleTenant ? MicrosoftAppTenantId : AuthenticationConstants.BotFrameworkTenant)
        : TokenEndpoint);

    public string GetEntraOpenIdMetadataUrl() =>
        EntraOpenIdMetadataUrlTemplate.Replace("{tenant}", MicrosoftAppTenantId, StringComparison.Ordinal);
}

/// <summary>The values of <c>MicrosoftAppType</c>, as Azure Bot Service names them.</summary>
public static class BotAppTypes
{
    public const string MultiTenant = "MultiTenant";
    public const string SingleTenant = "SingleTenant";
    public const string UserAssignedMsi = "UserAssignedMSI";
}
