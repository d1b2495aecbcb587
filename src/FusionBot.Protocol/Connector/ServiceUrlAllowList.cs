using FusionBot.Protocol.Authentication;

namespace FusionBot.Protocol.Connector;

/// <summary>
/// The service URLs the bot may call with its Bot Framework token. An activity names its own serviceUrl, and whoever
/// reaches the bot with a forged or borrowed token could name any host: the bot would then POST its access token there.
/// Allowed: https on the default port to a public-cloud Teams host; any URL under a base URL listed in
/// <c>BotFramework:AllowedServiceUrls</c> (the only way to allow plain http); and, when authentication is off
/// (Development only), loopback, where the local playground and test connectors run.
/// </summary>
public sealed class ServiceUrlAllowList
{
    /// <summary>
    /// Hosts of the Bot Connector for Teams in the public cloud (GCC included), from the service URLs Teams sends and
    /// the proactive endpoints msteams-docs lists. GCC High and DoD go through <c>AllowedServiceUrls</c>.
    /// </summary>
    public static readonly IReadOnlyList<string> TeamsPublicCloudHosts = ["smba.trafficmanager.net", "smba.infra.gcc.teams.microsoft.com"];

    private readonly List<Uri> listed;
    private readonly bool allowLoopback;

    public ServiceUrlAllowList(BotFrameworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        listed = [.. options.AllowedServiceUrls
            .Select(url => Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var uri) ? uri : null)
            .OfType<Uri>()];
        allowLoopback = !options.IsAuthenticationEnabled;
    }

    public bool IsAllowed(string? serviceUrl)
    {
        if (string.IsNullOrWhiteSpace(serviceUrl) ||
            !Uri.TryCreate(serviceUrl, UriKind.Absolute, out var uri) ||
            (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) ||
            uri.UserInfo.Length > 0)
        {
            return false;
        }

        if (uri.Scheme == Uri.UriSchemeHttps && uri.IsDefaultPort &&
            TeamsPublicCloudHosts.Contains(uri.IdnHost, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        return listed.Any(baseUri => IsUnder(uri, baseUri)) || (allowLoopback && uri.IsLoopback);
    }

    /// <summary>The host alone, for logs: never the path, which can carry ids.</summary>
    public static string HostOf(string? serviceUrl) =>
        Uri.TryCreate(serviceUrl, UriKind.Absolute, out var uri) ? uri.Authority : "(not a URL)";

    private static bool IsUnder(Uri candidate, Uri baseUri)
    {
        if (candidate.Scheme != baseUri.Scheme || candidate.Port != baseUri.Port ||
            !string.Equals(candidate.IdnHost, baseUri.IdnHost, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Compared on whole segments: a base of /teams/ must not admit /teams-evil/.
        var path = candidate.AbsolutePath.EndsWith('/') ? candidate.AbsolutePath : candidate.AbsolutePath + "/";
        return path.StartsWith(baseUri.AbsolutePath, StringComparison.OrdinalIgnoreCase);
    }
}
