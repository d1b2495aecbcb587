using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FusionBot.Protocol;
using FusionBot.Protocol.Models;

namespace FusionBot.TestKit;

public static class ActivityHttpExtensions
{
    /// <summary>Posts an activity to the bot's messaging endpoint as the channel does, with the bearer token if one is given.</summary>
    public static Task<HttpResponseMessage> PostActivityAsync(
        this HttpClient client, Activity activity, string? bearerToken, string path = "/api/messages", CancellationToken cancellationToken = default) =>
        client.PostRawActivityAsync(JsonSerializer.Serialize(activity, ProtocolJson.Options), bearerToken, path, cancellationToken);

    /// <summary>Posts any body (malformed JSON included) to the messaging endpoint.</summary>
    public static async Task<HttpResponseMessage> PostRawActivityAsync(
        this HttpClient client, string body, string? bearerToken, string path = "/api/messages", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (bearerToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }

        return await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
