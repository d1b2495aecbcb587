using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Azure.Core;
using Azure.Identity;
using FusionBot.Protocol.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Kiota.Abstractions.Authentication;

namespace FusionBot.Graph;

/// <summary>
/// App-only tokens for Microsoft Graph: client credentials (a form POST, so the endpoint can be a loopback fake) when
/// the bot has a password, else its user-assigned managed identity. Cached until a minute before expiry.
/// Our own provider because Graph's TokenCredential provider silently sends no token to hosts it does not know.
/// </summary>
public sealed class GraphTokenProvider(
    IHttpClientFactory httpClientFactory,
    IOptions<GraphOptions> graph,
    IOptions<BotFrameworkOptions> bot,
    TimeProvider time) : IAccessTokenProvider, IDisposable
{
    public const string HttpClientName = "FusionBot.Graph.Token";
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Token, DateTimeOffset ExpiresOn)? _cached;

    public AllowedHostsValidator AllowedHostsValidator { get; } = new();

    public async Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null,
        CancellationToken cancellationToken = default)
    {
        if (_cached is { } fresh && fresh.ExpiresOn - RefreshMargin > time.GetUtcNow())
        {
            return fresh.Token;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } again && again.ExpiresOn - RefreshMargin > time.GetUtcNow())
            {
                return again.Token;
            }

            _cached = string.IsNullOrEmpty(bot.Value.MicrosoftAppPassword)
                ? await FromManagedIdentityAsync(cancellationToken)
                : await FromClientCredentialsAsync(cancellationToken);
            return _cached.Value.Token;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<(string, DateTimeOffset)> FromClientCredentialsAsync(CancellationToken cancellationToken)
    {
        var settings = bot.Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = settings.MicrosoftAppId ?? "",
            ["client_secret"] = settings.MicrosoftAppPassword ?? "",
            ["scope"] = GraphOptions.Scope,
        });
        var requestedAt = time.GetUtcNow();
        using var client = httpClientFactory.CreateClient(HttpClientName);
        using var response = await client.PostAsync(TokenEndpoint(), form, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The Graph token endpoint answered {(int)response.StatusCode}.", null, response.StatusCode);
        }

        var body = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken);
        return string.IsNullOrEmpty(body?.AccessToken)
            ? throw new HttpRequestException("The Graph token endpoint answered without an access_token.")
            : (body.AccessToken, requestedAt.AddSeconds(body.ExpiresIn));
    }

    private async Task<(string, DateTimeOffset)> FromManagedIdentityAsync(CancellationToken cancellationToken)
    {
        var credential = new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(bot.Value.MicrosoftAppId));
        var token = await credential.GetTokenAsync(new TokenRequestContext([GraphOptions.Scope]), cancellationToken);
        return (token.Token, token.ExpiresOn);
    }

    public void Dispose() => _gate.Dispose();

    private string TokenEndpoint() => graph.Value.TokenEndpoint is { Length: > 0 } configured
        ? configured
        : bot.Value.MicrosoftAppTenantId is { Length: > 0 } tenant
            ? $"https://login.microsoftonline.com/{Uri.EscapeDataString(tenant)}/oauth2/v2.0/token"
            : throw new InvalidOperationException("Microsoft Graph needs MicrosoftAppTenantId (or Graph:TokenEndpoint) for app-only tokens.");

    private sealed class TokenResponse
    {
        [JsonPropertyName("access_token")]
        public string? AccessToken { get; set; }

        [JsonPropertyName("expires_in")]
        public long ExpiresIn { get; set; }
    }
}
