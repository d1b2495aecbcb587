using System.Globalization;

namespace FusionBot.Protocol.Connector;

/// <summary>Every Bot Connector route, relative to the conversation's service URL. Ids are URL-encoded here.</summary>
public static class ConnectorRoutes
{
    public const string Conversations = "v3/conversations";

    public static string Activities(string conversationId) =>
        $"v3/conversations/{Encode(conversationId)}/activities";

    public static string Activity(string conversationId, string activityId) =>
        $"v3/conversations/{Encode(conversationId)}/activities/{Encode(activityId)}";

    public static string PagedMembers(string conversationId, int? pageSize, string? continuationToken)
    {
        var query = new List<string>(2);
        if (pageSize is { } size)
        {
            query.Add("pageSize=" + size.ToString(CultureInfo.InvariantCulture));
        }

        if (!string.IsNullOrEmpty(continuationToken))
        {
            query.Add("continuationToken=" + Encode(continuationToken));
        }

        var path = $"v3/conversations/{Encode(conversationId)}/pagedmembers";
        return query.Count == 0 ? path : path + "?" + string.Join('&', query);
    }

    public static string Member(string conversationId, string memberId) =>
        $"v3/conversations/{Encode(conversationId)}/members/{Encode(memberId)}";

    /// <summary>The absolute address of a route under a service URL, which may or may not end in a slash.</summary>
    public static Uri Resolve(string serviceUrl, string route)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceUrl);
        if (!Uri.TryCreate(serviceUrl.EndsWith('/') ? serviceUrl : serviceUrl + "/", UriKind.Absolute, out var baseUri) ||
            (baseUri.Scheme != Uri.UriSchemeHttps && baseUri.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"'{serviceUrl}' is not an absolute http(s) service URL.", nameof(serviceUrl));
        }

        return new Uri(baseUri, route);
    }

    private static string Encode(string value) => Uri.EscapeDataString(value);
}
