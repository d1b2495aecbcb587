using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Graph;

namespace FusionBot.Graph;

/// <summary>
/// Finds a message the bot posted to a channel, when the post's answer was lost (Graph: the channel messages' delta,
/// filtered by lastModifiedDateTime; needs ChannelMessage.Read.Group consented by the team, or ChannelMessage.Read.All).
/// </summary>
public sealed class ChannelPosts(GraphServiceClient graph)
{
    private const int MaxPages = 10;

    /// <summary>
    /// The id of the newest root message created at or after <paramref name="since"/> with an Adaptive Card whose
    /// actions carry <paramref name="key"/> = <paramref name="value"/>; null when there is none.
    /// </summary>
    public async Task<string?> FindCardAsync(
        string teamGroupId, string channelId, DateTimeOffset since, string key, string value, CancellationToken cancellationToken = default)
    {
        var messages = graph.Teams[teamGroupId].Channels[channelId].Messages.Delta;
        var page = await messages.GetAsDeltaGetResponseAsync(request =>
            request.QueryParameters.Filter = $"lastModifiedDateTime gt {since.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)}",
            cancellationToken);
        string? found = null;
        DateTimeOffset? foundAt = null;
        for (var pages = 1; page is not null; pages++)
        {
            foreach (var message in page.Value ?? [])
            {
                if (message.DeletedDateTime is null && message.CreatedDateTime >= since && message.CreatedDateTime > foundAt.GetValueOrDefault(DateTimeOffset.MinValue)
                    && (message.Attachments ?? []).Any(a => Carries(a.Content, key, value)))
                {
                    (found, foundAt) = (message.Id, message.CreatedDateTime);
                }
            }

            if (page.OdataNextLink is not { } next || pages == MaxPages)
            {
                break;
            }

            page = await messages.WithUrl(next).GetAsDeltaGetResponseAsync(cancellationToken: cancellationToken);
        }

        return found;
    }

    private static bool Carries(string? content, string key, string value)
    {
        if (string.IsNullOrEmpty(content))
        {
            return false;
        }

        try
        {
            return Contains(JsonNode.Parse(content), key, value);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool Contains(JsonNode? node, string key, string value) => node switch
    {
        JsonObject obj => obj.Any(p => (p.Key == key && p.Value is JsonValue v && v.TryGetValue<string>(out var s) && s == value) || Contains(p.Value, key, value)),
        JsonArray array => array.Any(item => Contains(item, key, value)),
        _ => false,
    };
}
