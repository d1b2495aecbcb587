using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace FusionBot.Protocol.Authentication;

/// <summary>OAuth 2.0 client credentials as a plain form POST to the configured token endpoint.</summary>
public sealed class ClientCredentialsTokenSource(IHttpClientFactory httpClientFactory, IOptions<BotFrameworkOptions> options, TimeProvider timeProvider)
    : IBotTokenSource
{
    internal const string HttpClientName = "FusionBot.Protocol.TokenEndpoint";

    public async Task<BotAccessToken> AcquireAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = settings.MicrosoftAppId ?? string.Empty,
            ["client_secret"] = settings.MicrosoftAppPassword ?? string.Empty,
            ["scope"] = AuthenticationConstants.BotFrameworkScope,
        });
        var requestedAt = timeProvider.GetUtcNow();
        using var httpClient = httpClientFactory.CreateClient(HttpClientName);
        using var response = await httpClient.PostAsync(settings.GetTokenEndpoint(), form, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // The body may echo request details; only the status is reported.
            throw new HttpRequestException(
                $"The token endpoint answered {(int)response.StatusCode} to the client-credentials request.", null, response.StatusCode);
        }

        var body = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(body?.AccessToken))
        {
            throw new HttpRequestException("The token endpoint answered without an access_token.");
        }

        return new BotAccessToken(body.AccessToken, requestedAt.AddSeconds(body.ExpiresIn));
    }

    private sealed class TokenResponse
    {
        [JsonPropertyName("access_token")]
        public string? AccessToken { get; set; }

        [JsonPropertyName("expires_in")]
        public long ExpiresIn { get; set; }
    }
}
