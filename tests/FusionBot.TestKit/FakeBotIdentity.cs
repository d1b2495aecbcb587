using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FusionBot.Protocol.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FusionBot.TestKit;

/// <summary>Which key signs a minted inbound token.</summary>
public enum TestSigningKey
{
    /// <summary>Published in the JWKS and endorsed for <c>msteams</c>: what the Bot Framework signs with.</summary>
    Endorsed,

    /// <summary>Published in the JWKS but with no endorsement for <c>msteams</c>.</summary>
    NotEndorsed,

    /// <summary>Never published: a token forged by someone else.</summary>
    Attacker,

    /// <summary>Endorsed for <c>msteams</c> but published only after <see cref="FakeBotIdentity.PublishRolledKey"/>: a key rollover.</summary>
    Rolled,
}

/// <summary>Which claim of an Entra ID token names the calling app: <c>appid</c> (v1 tokens) or <c>azp</c> (v2).</summary>
public enum EntraTokenVersion
{
    V1,
    V2,
}

/// <summary>
/// A stand-in for the Bot Framework's identity side on loopback: OpenID metadata and JWKS (test RSA keys with
/// endorsements), an Entra ID tenant's metadata and JWKS (<see cref="EntraOpenIdMetadataUrlTemplate"/>), a
/// client-credentials token endpoint that issues and records opaque tokens, and a minter of inbound JWTs. Hand
/// <see cref="Configuration"/> (or <see cref="ConfigurationAllowing"/>) to the app under test.
/// </summary>
public sealed class FakeBotIdentity : IAsyncDisposable
{
    public const string AppId = "6f1c2b7e-5d2a-4c6e-9a51-0b07f05b0001";
    public const string AppPassword = "fake-bot-secret-not-real";

    // RSA key generation takes seconds on a busy machine: the keys are made once and shared by every instance.
    private static readonly RsaSecurityKey endorsedKey = CreateKey("endorsed-key");
    private static readonly RsaSecurityKey notEndorsedKey = CreateKey("not-endorsed-key");
    private static readonly RsaSecurityKey attackerKey = CreateKey("attacker-key");
    private static readonly RsaSecurityKey rolledKey = CreateKey("rolled-key");
    private static readonly RsaSecurityKey entraKey = CreateKey("entra-key");

    private readonly ConcurrentQueue<string> issuedTokens = new();
    private readonly JsonWebTokenHandler tokenHandler = new() { SetDefaultTimesOnTokenCreation = false };
    private WebApplication? app;
    private int tokenRequests;
    private int metadataRequests;
    private volatile bool rolledKeyPublished;

    private FakeBotIdentity()
    {
    }

    public string BaseUrl { get; private set; } = string.Empty;

    public string OpenIdMetadataUrl => BaseUrl + "/v1/.well-known/openidconfiguration";

    public string JwksUrl => BaseUrl + "/v1/.well-known/keys";

    public string TokenEndpoint => BaseUrl + "/botframework.com/oauth2/v2.0/token";

    /// <summary>This server's stand-in for Entra ID's per-tenant metadata, for <c>BotFramework:EntraOpenIdMetadataUrlTemplate</c>.</summary>
    public string EntraOpenIdMetadataUrlTemplate => BaseUrl + "/{tenant}/v2.0/.well-known/openid-configuration";

    /// <summary>Seconds the issued outbound tokens claim to live (<c>expires_in</c>).</summary>
    public int TokenLifetimeSeconds { get; set; } = 3599;

    /// <summary>Every access token the token endpoint handed out, oldest first.</summary>
    public IReadOnlyList<string> IssuedTokens => [.. issuedTokens];

    public int TokenRequestCount => Volatile.Read(ref tokenRequests);

    /// <summary>How often the OpenID metadata document was fetched (key refreshes included).</summary>
    public int MetadataRequestCount => Volatile.Read(ref metadataRequests);

    /// <summary>
    /// Configuration for the app under test: app id, password, MultiTenant, and this server's endpoints (the Entra ID
    /// metadata is read only by a SingleTenant bot with allowed callers).
    /// </summary>
    public IReadOnlyDictionary<string, string?> Configuration => new Dictionary<string, string?>
    {
        ["MicrosoftAppId"] = AppId,
        ["MicrosoftAppPassword"] = AppPassword,
        ["MicrosoftAppType"] = BotAppTypes.MultiTenant,
        ["BotFramework:OpenIdMetadataUrl"] = OpenIdMetadataUrl,
        ["BotFramework:TokenEndpoint"] = TokenEndpoint,
        ["BotFramework:EntraOpenIdMetadataUrlTemplate"] = EntraOpenIdMetadataUrlTemplate,
    };

    /// <summary>
    /// <see cref="Configuration"/> plus <paramref name="serviceUrls"/> in <c>BotFramework:AllowedServiceUrls</c>: the
    /// recording connectors on loopback are plain http, which the bot answers only when they are listed.
    /// </summary>
    public IReadOnlyDictionary<string, string?> ConfigurationAllowing(params string[] serviceUrls)
    {
        ArgumentNullException.ThrowIfNull(serviceUrls);
        var configuration = new Dictionary<string, string?>(Configuration);
        for (var i = 0; i < serviceUrls.Length; i++)
        {
            configuration[$"BotFramework:AllowedServiceUrls:{i}"] = serviceUrls[i];
        }

        return configuration;
    }

    public static async Task<FakeBotIdentity> StartAsync()
    {
        var identity = new FakeBotIdentity();
        (identity.app, identity.BaseUrl) = await LoopbackServer.StartAsync(identity.MapRoutes).ConfigureAwait(false);
        return identity;
    }

    /// <summary>
    /// A bearer token as the Bot Framework sends with an activity. By default valid for <paramref name="serviceUrl"/>
    /// and this bot; override one part to make it invalid in exactly that way.
    /// </summary>
    public string CreateInboundToken(
        string serviceUrl,
        string issuer = AuthenticationConstants.BotFrameworkIssuer,
        string audience = AppId,
        DateTimeOffset? expires = null,
        TestSigningKey key = TestSigningKey.Endorsed)
    {
        var expiresAt = expires ?? DateTimeOffset.UtcNow.AddHours(1);
        return tokenHandler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = expiresAt.AddHours(-1).UtcDateTime,
            NotBefore = expiresAt.AddHours(-1).UtcDateTime,
            Expires = expiresAt.UtcDateTime,
            Claims = new Dictionary<string, object> { [AuthenticationConstants.ServiceUrlClaim] = serviceUrl },
            SigningCredentials = new SigningCredentials(key switch
            {
                TestSigningKey.NotEndorsed => notEndorsedKey,
                TestSigningKey.Attacker => attackerKey,
                TestSigningKey.Rolled => rolledKey,
                _ => endorsedKey,
            }, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>
    /// A token as Entra ID issues it to an app of <paramref name="tenant"/> that asked for the bot's audience by client
    /// credentials: signed by the tenant's key, no serviceurl, the caller in <c>azp</c> (v2) or <c>appid</c> (v1).
    /// </summary>
    public string CreateEntraToken(
        string tenant, string callerAppId, EntraTokenVersion version = EntraTokenVersion.V2, string audience = AppId, string? tokenTenant = null)
    {
        var now = DateTimeOffset.UtcNow;
        var claims = new Dictionary<string, object>
        {
            [AuthenticationConstants.TenantIdClaim] = tokenTenant ?? tenant,
            [AuthenticationConstants.VersionClaim] = version == EntraTokenVersion.V2 ? "2.0" : "1.0",
            [version == EntraTokenVersion.V2 ? AuthenticationConstants.AuthorizedPartyClaim : AuthenticationConstants.AppIdClaim] = callerAppId,
        };
        return tokenHandler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = version == EntraTokenVersion.V2 ? AuthenticationConstants.EntraV2Issuer(tenant) : AuthenticationConstants.EntraV1Issuer(tenant),
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.AddHours(1).UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(entraKey, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>A channel token with every claim right but <c>alg: none</c> and no signature.</summary>
    public string CreateUnsignedToken(string serviceUrl) => tokenHandler.CreateToken(ChannelTokenDescriptor(serviceUrl, signing: null));

    /// <summary>A channel token signed with HMAC-SHA256 by a secret of the attacker's choosing.</summary>
    public string CreateHs256Token(string serviceUrl) =>
        tokenHandler.CreateToken(ChannelTokenDescriptor(serviceUrl, new SigningCredentials(
            new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)) { KeyId = endorsedKey.KeyId }, SecurityAlgorithms.HmacSha256)));

    /// <summary>Adds the <see cref="TestSigningKey.Rolled"/> key to the JWKS, as the Bot Framework does when it rolls keys.</summary>
    public void PublishRolledKey() => rolledKeyPublished = true;

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static SecurityTokenDescriptor ChannelTokenDescriptor(string serviceUrl, SigningCredentials? signing)
    {
        var now = DateTimeOffset.UtcNow;
        return new SecurityTokenDescriptor
        {
            Issuer = AuthenticationConstants.BotFrameworkIssuer,
            Audience = AppId,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.AddHours(1).UtcDateTime,
            Claims = new Dictionary<string, object> { [AuthenticationConstants.ServiceUrlClaim] = serviceUrl },
            SigningCredentials = signing,
        };
    }

    private void MapRoutes(WebApplication web)
    {
        web.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (string tenant) => Results.Json(new JsonObject
        {
            ["issuer"] = AuthenticationConstants.EntraV2Issuer(tenant),
            ["jwks_uri"] = $"{BaseUrl}/{tenant}/discovery/v2.0/keys",
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
        }));
        web.MapGet("/{tenant}/discovery/v2.0/keys", () => Results.Json(new JsonObject { ["keys"] = new JsonArray(ToJwk(entraKey)) }));
        web.MapGet("/v1/.well-known/openidconfiguration", () =>
        {
            Interlocked.Increment(ref metadataRequests);
            return Results.Json(new JsonObject
            {
                ["issuer"] = AuthenticationConstants.BotFrameworkIssuer,
                ["authorization_endpoint"] = BaseUrl + "/v1/authorize",
                ["jwks_uri"] = JwksUrl,
                ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
                ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
            });
        });
        web.MapGet("/v1/.well-known/keys", () =>
        {
            var keys = new JsonArray(ToJwk(endorsedKey, "msteams", "webchat"), ToJwk(notEndorsedKey, "webchat"));
            if (rolledKeyPublished)
            {
                keys.Add(ToJwk(rolledKey, "msteams"));
            }

            return Results.Json(new JsonObject { ["keys"] = keys });
        });
        web.MapPost("/{tenant}/oauth2/v2.0/token", async (HttpRequest request) =>
        {
            Interlocked.Increment(ref tokenRequests);
            var form = await request.ReadFormAsync().ConfigureAwait(false);
            if (form["grant_type"] != "client_credentials" || form["client_id"] != AppId || form["client_secret"] != AppPassword)
            {
                return Results.Json(new JsonObject { ["error"] = "invalid_client" }, statusCode: StatusCodes.Status401Unauthorized);
            }

            if (form["scope"] != AuthenticationConstants.BotFrameworkScope)
            {
                return Results.Json(new JsonObject { ["error"] = "invalid_scope" }, statusCode: StatusCodes.Status400BadRequest);
            }

            var token = "fake-access-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            issuedTokens.Enqueue(token);
            return Results.Json(new JsonObject
            {
                ["token_type"] = "Bearer",
                ["expires_in"] = TokenLifetimeSeconds,
                ["ext_expires_in"] = TokenLifetimeSeconds,
                ["access_token"] = token,
            });
        });
    }

    private static RsaSecurityKey CreateKey(string keyId)
    {
        using var rsa = RSA.Create(2048);
        return new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: true)) { KeyId = keyId };
    }

    private static JsonObject ToJwk(RsaSecurityKey key, params string[] endorsements) => new()
    {
        ["kty"] = "RSA",
        ["use"] = "sig",
        ["kid"] = key.KeyId,
        ["n"] = Base64UrlEncoder.Encode(key.Parameters.Modulus),
        ["e"] = Base64UrlEncoder.Encode(key.Parameters.Exponent),
        ["endorsements"] = new JsonArray([.. endorsements.Select(e => JsonValue.Create(e))]),
    };
}
