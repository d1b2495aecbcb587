using System.Text.RegularExpressions;

namespace FusionBot.Requests;

/// <summary>
/// A solution as a maker pastes it after <c>link FR-…</c>: a Power Apps, Power Automate or Copilot Studio address
/// (player or maker portal), or a kind and an id (<c>app 0f…</c>, <c>flow 0f…</c>, <c>agent 0f…</c>,
/// <c>solution ContosoExpenses</c>), optionally followed by <c>in &lt;environment id&gt;</c>.
/// </summary>
public static partial class SolutionLinkText
{
    /// <summary>The link, or null with <paramref name="problem"/> saying what is missing.</summary>
    public static SolutionLink? Parse(string? text, out string? problem)
    {
        var trimmed = (text ?? "").Trim();
        problem = null;
        if (trimmed.Length == 0)
        {
            problem = "Paste the app's, flow's or agent's address, or say `app <id>`, `flow <id>`, `agent <id>` or `solution <unique name>`.";
            return null;
        }

        if (Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps)
        {
            var link = FromAddress(uri);
            if (link is null)
            {
                problem = "I could not find an app, flow or agent in that address. Open it in Power Apps, Power Automate or Copilot Studio and copy the address again, or say `app <id>`.";
            }

            return link;
        }

        if (KindAndId().Match(trimmed) is { Success: true } typed)
        {
            var kind = Enum.Parse<SolutionKind>(typed.Groups["kind"].Value, ignoreCase: true);
            var id = typed.Groups["id"].Value;
            if (kind != SolutionKind.Solution && !Guid.TryParse(id, out _))
            {
                problem = $"An {kind.ToString().ToLowerInvariant()} id is a GUID such as 0f8fad5b-d9cb-469f-a165-70867728950e.";
                return null;
            }

            return new SolutionLink(kind, typed.Groups["env"].Value, id, id);
        }

        problem = Guid.TryParse(trimmed, out _)
            ? "Is that an app, a flow or an agent? Say `app <id>`, `flow <id>` or `agent <id>`."
            : "Paste the app's, flow's or agent's address, or say `app <id>`, `flow <id>`, `agent <id>` or `solution <unique name>`.";
        return null;
    }

    private static SolutionLink? FromAddress(Uri uri)
    {
        // Maker-portal addresses carry the app id URL-encoded in the query (app-id=%2Fproviders%2F…%2Fapps%2F{id}).
        var address = Uri.UnescapeDataString(uri.AbsolutePath + uri.Query);
        var host = uri.Host.ToLowerInvariant();
        var environment = Environment().Match(address) is { Success: true } env ? env.Groups["env"].Value : "";
        if (Flow().Match(address) is { Success: true } flow && (host.Contains("powerautomate", StringComparison.Ordinal) || host.StartsWith("flow.", StringComparison.Ordinal) || host.Contains("powerapps", StringComparison.Ordinal)))
        {
            return Link(SolutionKind.Flow, environment, flow.Groups["id"].Value);
        }

        if (Agent().Match(address) is { Success: true } agent && (host.Contains("copilotstudio", StringComparison.Ordinal) || host.Contains("powerva", StringComparison.Ordinal)))
        {
            return Link(SolutionKind.Agent, environment, agent.Groups["id"].Value);
        }

        if (App().Match(address) is { Success: true } app && (host.Contains("powerapps", StringComparison.Ordinal) || host.Contains("dynamics", StringComparison.Ordinal)))
        {
            return Link(SolutionKind.App, environment, app.Groups["id"].Value);
        }

        if (Solution().Match(address) is { Success: true } solution)
        {
            return Link(SolutionKind.Solution, environment, solution.Groups["id"].Value);
        }

        return null;
    }

    private static SolutionLink Link(SolutionKind kind, string environment, string id) => new(kind, environment, id, id);

    private const string GuidPattern = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

    [GeneratedRegex(@"^(?<kind>app|flow|agent|solution)\s+(?<id>[^\s]+)(\s+(in|env|environment)\s+(?<env>[^\s]+))?$", RegexOptions.IgnoreCase)]
    private static partial Regex KindAndId();

    [GeneratedRegex(@"/(?:environments|e)/(?<env>[^/?#&]+)", RegexOptions.IgnoreCase)]
    private static partial Regex Environment();

    [GeneratedRegex(@"/flows/(?:shared/)?(?<id>" + GuidPattern + ")", RegexOptions.IgnoreCase)]
    private static partial Regex Flow();

    [GeneratedRegex(@"/(?:bots|agents)/(?<id>" + GuidPattern + ")", RegexOptions.IgnoreCase)]
    private static partial Regex Agent();

    [GeneratedRegex(@"(?:/a/|/apps/|/play/|appid=|app-id=)(?<id>" + GuidPattern + ")", RegexOptions.IgnoreCase)]
    private static partial Regex App();

    [GeneratedRegex(@"/solutions/(?<id>" + GuidPattern + ")", RegexOptions.IgnoreCase)]
    private static partial Regex Solution();
}
