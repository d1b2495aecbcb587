using System.Text.RegularExpressions;

namespace FusionBot.Features.Chat;

public enum CommandName
{
    None, Help, NewRequest, NewRequestForm, MyRequests, Status, Withdraw, Resubmit, Cancel, Digest, SubscribeDigest, UnsubscribeDigest,
    Components, ComponentAdd, ComponentRetire, Portfolio, Greeting, Link, Connectors, PlatformSync, Privacy,
}

/// <summary>
/// A command read from a typed message, with its argument (a request id, a description after "new request", the
/// search words after "components").
/// </summary>
public sealed partial record Command(CommandName Name, string? Argument = null)
{
    public static Command Parse(string? text)
    {
        var trimmed = (text ?? "").Trim();
        var lower = trimmed.ToLowerInvariant();
        switch (lower)
        {
            case "help" or "?":
                return new(CommandName.Help);
            case "status":
                return new(CommandName.MyRequests);
            case "new request" or "new" or "start":
                return new(CommandName.NewRequest);
            case "new request form" or "request form":
                return new(CommandName.NewRequestForm);
            case "my requests" or "requests":
                return new(CommandName.MyRequests);
            case "cancel":
                return new(CommandName.Cancel);
            case "subscribe digest":
                return new(CommandName.SubscribeDigest);
            case "unsubscribe digest":
                return new(CommandName.UnsubscribeDigest);
            case "component add":
                return new(CommandName.ComponentAdd);
            case "connectors":
                return new(CommandName.Connectors);
            case "platform sync":
                return new(CommandName.PlatformSync);
        }

        if (Greeting().IsMatch(trimmed))
        {
            return new(CommandName.Greeting);
        }

        if (ComponentsCommand().Match(trimmed) is { Success: true } components)
        {
            return new(CommandName.Components, components.Groups["search"].Success ? components.Groups["search"].Value.Trim() : null);
        }

        if (ComponentRetireCommand().Match(trimmed) is { Success: true } retire)
        {
            return new(CommandName.ComponentRetire, retire.Groups["name"].Value.Trim());
        }

        if (DigestCommand().Match(trimmed) is { Success: true } digest)
        {
            return new(CommandName.Digest, digest.Groups["rest"].Value.Trim());
        }

        if (PortfolioCommand().Match(trimmed) is { Success: true } portfolio)
        {
            return new(CommandName.Portfolio, portfolio.Groups["rest"].Value.Trim());
        }

        if (PrivacyCommand().Match(trimmed) is { Success: true } privacy)
        {
            return new(CommandName.Privacy, privacy.Groups["rest"].Value.Trim());
        }

        if (RequestCommand().Match(trimmed) is { Success: true } withId)
        {
            var name = withId.Groups["verb"].Value.ToLowerInvariant() switch
            {
                "status" => CommandName.Status,
                "resubmit" => CommandName.Resubmit,
                _ => CommandName.Withdraw,
            };
            return new(name, RequestIdText.Normalise(withId.Groups["number"].Value));
        }

        if (LinkCommand().Match(trimmed) is { Success: true } link)
        {
            return new(CommandName.Link, $"{RequestIdText.Normalise(link.Groups["number"].Value)} {link.Groups["target"].Value.Trim()}".Trim());
        }

        if (NewRequestWithDescription().Match(trimmed) is { Success: true } described)
        {
            return new(CommandName.NewRequest, described.Groups["description"].Value.Trim());
        }

        return new(CommandName.None);
    }

    [GeneratedRegex(@"^(?<verb>status|withdraw|resubmit)\s+" + RequestIdText.Pattern + "$", RegexOptions.IgnoreCase)]
    private static partial Regex RequestCommand();

    // Only a greeting on its own: "Hello world tracker" typed as a request's name must stay an answer.
    [GeneratedRegex(@"^(hi|hello|hey|hiya|howdy|good\s+(morning|afternoon|evening|day))(\s+(there|all|everyone|fusionbot|bot))?[\s!.,👋🙂]*$", RegexOptions.IgnoreCase)]
    private static partial Regex Greeting();

    [GeneratedRegex(@"^digest(\s+(?<rest>.*))?$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex DigestCommand();

    [GeneratedRegex(@"^components(\s+(?<search>.+))?$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ComponentsCommand();

    [GeneratedRegex(@"^component retire\s+(?<name>.+)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ComponentRetireCommand();

    [GeneratedRegex(@"^portfolio(\s+(?<rest>.*))?$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex PortfolioCommand();

    [GeneratedRegex(@"^privacy(\s+(?<rest>.*))?$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex PrivacyCommand();

    // Only with a request id and something that names a solution: "Link checker" typed as a request's name stays an answer.
    [GeneratedRegex(@"^link\s+" + RequestIdText.Pattern + @"(\s+(?<target>https://\S+|(app|flow|agent|solution)\s+\S.*|[0-9a-fA-F-]{36}))?$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex LinkCommand();

    [GeneratedRegex(@"^new request\s*[:\-]\s*(?<description>.+)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex NewRequestWithDescription();
}
