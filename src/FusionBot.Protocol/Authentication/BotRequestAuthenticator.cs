using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;

namespace FusionBot.Protocol.Authentication;

/// <summary>
/// Validates the bearer token on inbound Bot Framework requests: issuer, audience (the app id), RS256 signature by a
/// published key, lifetime with five minutes of skew. Signing keys are cached per metadata address and refreshed
/// (throttled) when a token names a key id the cache does not know. Tokens issued by the bot's own Entra ID tenant
/// (SingleTenant and UserAssignedMSI bots) are accepted only from a caller listed in <c>BotFramework:AllowedCallers</c>
/// and only with that tenant's <c>tid</c>: any app registration in the tenant can mint such a token for the bot.
/// </summary>
public sealed partial class BotRequestAuthenticator
{
    internal const string MetadataHttpClientName = "FusionBot.Protocol.OpenIdMetadata";
    private const string BearerPrefix = "Bearer ";

    private readonly BotFrameworkOptions options;
    private readonly IHttpClientFactory httpClientFactory;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<BotRequestAuthenticator> logger;
    private readonly JsonWebTokenHandler handler = new() { MapInboundClaims = false };
    private readonly ConcurrentDictionary<string, SigningMetadataCache> metadataByAddress = new(StringComparer.Ordinal);

    public BotRequestAuthenticator(
        IOptions<BotFrameworkOptions> options, IHttpClientFactory httpClientFactory, TimeProvider timeProvider, ILogger<BotRequestAuthenticator> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        this.httpClientFactory = httpClientFactory;
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    public bool IsEnabled => options.IsAuthenticationEnabled;

    /// <param name="authorizationHeader">The raw <c>Authorization</c> header value, if any.</param>
    public async Task<BotTokenValidation> ValidateTokenAsync(string? authorizationHeader, CancellationToken cancellationToken = default)
    {
        if (!IsEnabled)
        {
            return BotTokenValidation.Anonymous;
        }

        if (authorizationHeader is null || !authorizationHeader.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return BotTokenValidation.Invalid("no bearer token");
        }

        var token = authorizationHeader[BearerPrefix.Length..].Trim();
        if (ReadIssuer(token) is not { } unverifiedIssuer)
        {
            return BotTokenValidation.Invalid("the bearer token is not a readable JWT");
        }

        var isEntra = IsOwnTenantIssuer(unverifiedIssuer);
        var metadataAddress = unverifiedIssuer == AuthenticationConstants.BotFrameworkIssuer ? options.OpenIdMetadataUrl
            : isEntra && options.AllowedCallers.Count > 0 ? options.GetEntraOpenIdMetadataUrl()
            : null;
        if (metadataAddress is null)
        {
            return BotTokenValidation.Invalid(isEntra
                ? "the token was issued by the bot's tenant, and BotFramework:AllowedCallers is empty"
                : "the token's issuer is not trusted");
        }

        var keys = metadataByAddress.GetOrAdd(metadataAddress, CreateCache);
        SigningMetadata metadata;
        TokenValidationResult result;
        try
        {
            metadata = await keys.GetAsync(cancellationToken).ConfigureAwait(false);
            result = await ValidateAsync(token, unverifiedIssuer, metadata).ConfigureAwait(false);
            if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
            {
                // Keys roll over: an unknown key id may be a new key. The cache throttles how often this refetches.
                metadata = await keys.RefreshAsync(cancellationToken).ConfigureAwait(false);
                result = await ValidateAsync(token, unverifiedIssuer, metadata).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogMetadataUnavailable(logger, exception.GetType().Name);
            return BotTokenValidation.Unavailable;
        }

        if (!result.IsValid)
        {
            var reason = result.Exception?.GetType().Name ?? "invalid token";
            LogTokenRejected(logger, reason);
            return BotTokenValidation.Invalid($"the token was rejected ({reason})");
        }

        if (isEntra)
        {
            return CheckEntraCaller(result.ClaimsIdentity) is { } refused
                ? BotTokenValidation.Invalid(refused)
                : BotTokenValidation.Valid(result.ClaimsIdentity, unverifiedIssuer, endorsements: null);
        }

        var keyId = (result.SecurityToken as JsonWebToken)?.Kid;
        var endorsements = keyId is not null && metadata.EndorsementsByKeyId.TryGetValue(keyId, out var found) ? found : [];
        return BotTokenValidation.Valid(result.ClaimsIdentity, unverifiedIssuer, endorsements);
    }

    /// <summary>The issuer of a well-formed JWT, before anything is verified; null for anything garbled.</summary>
    private string? ReadIssuer(string token)
    {
        if (!handler.CanReadToken(token))
        {
            return null;
        }

        try
        {
            return new JsonWebToken(token).Issuer is { Length: > 0 } issuer ? issuer : null;
        }
        catch (Exception exception) when (exception is ArgumentException or SecurityTokenMalformedException or FormatException)
        {
            return null;
        }
    }

    private bool IsOwnTenantIssuer(string issuer)
    {
        if (!options.IsSingleTenantIdentity || string.IsNullOrWhiteSpace(options.MicrosoftAppTenantId))
        {
            return false;
        }

        var tenant = options.MicrosoftAppTenantId;
        return issuer == AuthenticationConstants.EntraV1Issuer(tenant) || issuer == AuthenticationConstants.EntraV2Issuer(tenant);
    }

    /// <summary>The caller of an Entra ID token: v2 tokens name it in <c>azp</c>, v1 tokens in <c>appid</c>.</summary>
    private string? CheckEntraCaller(ClaimsIdentity identity)
    {
        var tenant = identity.FindFirst(AuthenticationConstants.TenantIdClaim)?.Value;
        if (!string.Equals(tenant, options.MicrosoftAppTenantId, StringComparison.OrdinalIgnoreCase))
        {
            return "the token's tid is not the bot's tenant";
        }

        var version = identity.FindFirst(AuthenticationConstants.VersionClaim)?.Value;
        var caller = version switch
        {
            "2.0" => identity.FindFirst(AuthenticationConstants.AuthorizedPartyClaim)?.Value,
            "1.0" => identity.FindFirst(AuthenticationConstants.AppIdClaim)?.Value,
            _ => null,
        };
        if (caller is null || !options.AllowedCallers.Contains(caller, StringComparer.OrdinalIgnoreCase))
        {
            // An app id is neither secret nor personal, and it is what an operator needs to decide whether to list it.
            LogCallerRefused(logger, caller ?? "(none)", version ?? "(none)");
            return "the token's caller is not in BotFramework:AllowedCallers";
        }

        return null;
    }

    private Task<TokenValidationResult> ValidateAsync(string token, string issuer, SigningMetadata metadata) =>
        handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = issuer, // already checked against the trusted issuers above
            ValidAudience = options.MicrosoftAppId,
            IssuerSigningKeys = metadata.Keys,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ClockSkew = AuthenticationConstants.ClockSkew,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
        });

    private SigningMetadataCache CreateCache(string address)
    {
        // Plain http is accepted only on loopback, where test identity providers live.
        var requireHttps = !new Uri(address).IsLoopback;
        var documents = new HttpDocumentRetriever(httpClientFactory.CreateClient(MetadataHttpClientName)) { RequireHttps = requireHttps };
        return new SigningMetadataCache(address, documents, timeProvider);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Inbound bearer token rejected: {Reason}")]
    private static partial void LogTokenRejected(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbound Entra ID token (version {Version}) from caller app {CallerAppId}, which is not in BotFramework:AllowedCallers, refused")]
    private static partial void LogCallerRefused(ILogger logger, string callerAppId, string version);

    [LoggerMessage(Level = LogLevel.Error, Message = "Signing keys could not be fetched ({Error}); inbound activities are answered 503 until they can")]
    private static partial void LogMetadataUnavailable(ILogger logger, string error);
}
