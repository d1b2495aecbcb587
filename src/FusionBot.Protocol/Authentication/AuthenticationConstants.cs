namespace FusionBot.Protocol.Authentication;

/// <summary>The Bot Framework's published issuers, metadata addresses and scopes, in one place.</summary>
public static class AuthenticationConstants
{
    public const string BotFrameworkIssuer = "https://api.botframework.com";
    public const string BotFrameworkOpenIdMetadataUrl = "https://login.botframework.com/v1/.well-known/openidconfiguration";
    public const string BotFrameworkTenant = "botframework.com";
    public const string BotFrameworkScope = "https://api.botframework.com/.default";

    /// <param name="tenant"><c>botframework.com</c> or, for single-tenant bots, the bot's tenant.</param>
    public static string TokenEndpoint(string? tenant) => $"https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token";

    public const string EntraOpenIdMetadataUrlTemplate = "https://login.microsoftonline.com/{tenant}/v2.0/.well-known/openid-configuration";
    public static string EntraV1Issuer(string? tenant) => $"https://sts.windows.net/{tenant}/";

    public static string EntraV2Issuer(string? tenant) => $"https://login.microsoftonline.com/{tenant}/v2.0";

    /// <summary>The claim the Bot Framework puts the activity's service URL in.</summary>
    public const string ServiceUrlClaim = "serviceurl";

    /// <summary>Entra ID claims: token version, tenant, and the calling app (<c>azp</c> in v2 tokens, <c>appid</c> in v1).</summary>
    public const string VersionClaim = "ver";
    public const string TenantIdClaim = "tid";
    public const string AuthorizedPartyClaim = "azp";
    public const string AppIdClaim = "appid";

    /// <summary>The only channel the bot serves when authentication is on.</summary>
    public const string TeamsChannelId = "msteams";

    /// <summary>The JWKS key member listing the channels a signing key may speak for.</summary>
    public const string EndorsementsMember = "endorsements";

    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);
}
