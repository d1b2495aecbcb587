using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Azure.Core;
using Azure.Identity;
using FusionBot.Protocol.Authentication;
using Microsoft.Extensions.Options;

namespace FusionBot.Integrations;

/// <summary>
/// App-only tokens for the services FusionBot calls besides Teams and Graph (the pipelines host's Dataverse, Azure
/// DevOps): client credentials (a plain form POST, so the endpoint can be a loopback fake) when the bot has a password,
/// else its user-assigned managed identity. One cached token per scope, renewed a minute before it expires.
/// </summary>
public sealed class AppTokens(IHttpClientFactory httpClientFactory, IOptions<BotFrameworkOptions> bot, TimeProvider time) : IDisposable
{
    public const string HttpClientName = "FusionBot.AppTokens";
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset ExpiresOn)> _cached = new(StringComparer.Ordinal);

    /// <param name="scope">e.g. <c>https://contoso.crm.dynamics.com/.default</c>.</param>
    /// <param name="tokenEndpoint">Overrides the Entra endpoint of <c>MicrosoftAppTenantId</c> (tests, sovereign clouds).</param>
    public async Task<string> GetAsync(string scope, string? tokenEndpoint, CancellationToken cancellationToken)
    {
        if (_cached.TryGetValue(scope, out var fresh) && fresh.ExpiresOn - RefreshMargin > time.GetUtcNow())
        {
            return fresh.Token;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_cached.TryGetValue(scope, out var again) && again.ExpiresOn - RefreshMargin > time.GetUtcNow())
            {
                return again.Token;
            }

            var token = string.IsNullOrEmpty(bot.Value.MicrosoftAppPassword)
                ? await FromManagedIdentityAsync(scope, cancellationToken)
                : await FromClientCredentialsAsync(scope, tokenEndpoint, cancellationToken);
            _cached[scope] = token;
            return token.Item1;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<(string, DateTimeOffset)> FromClientCredentialsAsync(string scope, string? tokenEndpoint, CancellationToken cancellationToken)
    {
        var settings = bot.Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = settings.MicrosoftAppId ?? "",
            ["client_secret"] = settings.MicrosoftAppPassword ?? "",
            ["scope"] = scope,
        });
        var endpoint = tokenEndpoint is { Length: > 0 } configured
            ? configured
            : settings.MicrosoftAppTenantId is { Length: > 0 } tenant
                ? $"https://login.microsoftonline.com/{Uri.EscapeDataString(tenant)}/oauth2/v2.0/token"
                : throw new InvalidOperationException("App-only tokens need MicrosoftAppTenantId (or a token endpoint).");
        var requestedAt = time.GetUtcNow();
        using var client = httpClientFactory.CreateClient(HttpClientName);
        using var response = await client.PostAsync(endpoint, form, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The token endpoint answered {(int)response.StatusCode}.", null, response.StatusCode);
        }

        var body = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken);
        return string.IsNullOrEmpty(body?.AccessToken)
            ? throw new HttpRequestException("The token endpoint answered without an access_token.")
            : (body.AccessToken, requestedAt.AddSeconds(body.ExpiresIn));
    }

    private async Task<(string, DateTimeOffset)> FromManagedIdentityAsync(string scope, CancellationToken cancellationToken)
    {
        var credential = new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(bot.Value.MicrosoftAppId));
        var token = await credential.GetTokenAsync(new TokenRequestContext([scope]), cancellationToken);
        return (token.Token, token.ExpiresOn);
    }

    public void Dispose() => _gate.Dispose();

    private sealed class TokenResponse
    {
        [JsonPropertyName("access_token")]
        public string? AccessToken { get; set; }

        [JsonPropertyName("expires_in")]
        public long ExpiresIn { get; set; }
    }
}
