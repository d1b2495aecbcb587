using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;

namespace FusionBot.Protocol.Authentication;

/// <summary>
/// Validates the bearer token on inbound Bot Framework requests: issuer, audience (the app id), RS256 signature by a
/// published key, lifetime with five minutes of skew. Signing keys are cached per metadata address and refreshed
/// (throttled) when a token names a key id the cache does not know.
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
        if (!handler.CanReadToken(token))
        {
            return BotTokenValidation.Invalid("the bearer token is not a JWT");
        }

        var unverifiedIssuer = new JsonWebToken(token).Issuer;
        var metadataAddress = MetadataAddressFor(unverifiedIssuer);
        if (metadataAddress is null)
        {
            return BotTokenValidation.Invalid("the token's issuer is not trusted");
        }

        var keys = metadataByAddress.GetOrAdd(metadataAddress, CreateCache);
        var metadata = await keys.GetAsync(cancellationToken).ConfigureAwait(false);
        var result = await ValidateAsync(token, unverifiedIssuer, metadata).ConfigureAwait(false);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // Keys roll over: an unknown key id may be a new key. The cache throttles how often this refetches.
            metadata = await keys.RefreshAsync(cancellationToken).ConfigureAwait(false);
            result = await ValidateAsync(token, unverifiedIssuer, metadata).ConfigureAwait(false);
        }

        if (!result.IsValid)
        {
            var reason = result.Exception?.GetType().Name ?? "invalid token";
            LogTokenRejected(logger, reason);
            return BotTokenValidation.Invalid($"the token was rejected ({reason})");
        }

        var keyId = (result.SecurityToken as JsonWebToken)?.Kid;
        var endorsements = keyId is not null && metadata.EndorsementsByKeyId.TryGetValue(keyId, out var found) ? found : null;
        return BotTokenValidation.Valid(result.ClaimsIdentity, unverifiedIssuer, endorsements);
    }

    private Task<TokenValidationResult> ValidateAsync(string token, string issuer, SigningMetadata metadata) =>
        handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = issuer, // already checked against the trusted list in MetadataAddressFor
            ValidAudience = options.MicrosoftAppId,
            IssuerSigningKeys = metadata.Keys,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ClockSkew = AuthenticationConstants.ClockSkew,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
        });

    private string? MetadataAddressFor(string issuer)
    {
        if (issuer == AuthenticationConstants.BotFrameworkIssuer)
        {
            return options.OpenIdMetadataUrl;
        }

        if (options.IsSingleTenant)
        {
            var tenant = options.MicrosoftAppTenantId;
            if (issuer == AuthenticationConstants.EntraV1Issuer(tenant) ||
                issuer == AuthenticationConstants.EntraV2Issuer(tenant))
            {
                return options.GetEntraOpenIdMetadataUrl();
            }
        }

        return null;
    }

    private SigningMetadataCache CreateCache(string address)
    {
        // Plain http is accepted only on loopback, where test identity providers live.
        var requireHttps = !new Uri(address).IsLoopback;
        var documents = new HttpDocumentRetriever(httpClientFactory.CreateClient(MetadataHttpClientName)) { RequireHttps = requireHttps };
        return new SigningMetadataCache(address, documents, timeProvider);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Inbound bearer token rejected: {Reason}")]
    private static partial void LogTokenRejected(ILogger logger, string reason);
}
