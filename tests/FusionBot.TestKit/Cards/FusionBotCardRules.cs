using System.Text.Json.Nodes;

namespace FusionBot.TestKit.Cards;

/// <summary>
/// FusionBot's own card rules, which the official parser does not check: it accepts a card with no version or
/// <c>$schema</c>, and an Action.Execute without a verb or fallback.
/// </summary>
internal static class FusionBotCardRules
{
    public const string Version = "1.5";
    public const string Schema = "http://adaptivecards.io/schemas/adaptive-card.json";
    public const int MaxRefreshUserIds = 60;

    public static IEnumerable<string> Check(JsonObject card)
    {
        if (card["version"]?.GetValueKind() != System.Text.Json.JsonValueKind.String || (string?)card["version"] != Version)
        {
            yield return $"card version must be \"{Version}\" (Teams renders 1.5), found {card["version"]?.ToJsonString() ?? "none"}";
        }
        if (card["$schema"]?.GetValueKind() != System.Text.Json.JsonValueKind.String || (string?)card["$schema"] != Schema)
        {
            yield return $"card $schema must be \"{Schema}\"";
        }
        foreach (var error in CheckRefresh(card["refresh"] as JsonObject))
        {
            yield return error;
        }
        foreach (var (action, path) in ExecuteActions(card, "card", insideRefresh: false))
        {
            foreach (var error in CheckExecute(action, path))
            {
                yield return error;
            }
        }
    }

    private static IEnumerable<string> CheckRefresh(JsonObject? refresh)
    {
        if (refresh is null)
        {
            yield break;
        }
        if (refresh["action"] is not JsonObject action || (string?)action["type"] != "Action.Execute" || IsBlank(action["verb"]))
        {
            yield return "refresh.action must be an Action.Execute with a verb";
        }
        if (refresh["userIds"] is JsonArray { Count: > MaxRefreshUserIds } userIds)
        {
            yield return $"refresh.userIds has {userIds.Count} ids; Teams refreshes for at most {MaxRefreshUserIds}";
        }
    }

    // Every Action.Execute a user can click needs a verb, and an Action.Submit fallback carrying the same verb,
    // so clients without Universal Actions still send something the bot understands.
    private static IEnumerable<string> CheckExecute(JsonObject action, string path)
    {
        var verb = (string?)action["verb"];
        if (string.IsNullOrWhiteSpace(verb))
        {
            yield return $"{path}: Action.Execute must have a verb";
        }
        if (action["fallback"] is not JsonObject fallback || (string?)fallback["type"] != "Action.Submit")
        {
            yield return $"{path}: Action.Execute '{verb}' must have an Action.Submit fallback";
            yield break;
        }
        if ((string?)(fallback["data"] as JsonObject)?["verb"] != verb)
        {
            yield return $"{path}: the Action.Submit fallback of '{verb}' must carry data.verb = '{verb}'";
        }
        if (!JsonNode.DeepEquals(WithoutVerb(fallback["data"]), WithoutVerb(action["data"])))
        {
            yield return $"{path}: the Action.Submit fallback of '{verb}' must carry the same data as the Action.Execute";
        }
    }

    private static IEnumerable<(JsonObject Action, string Path)> ExecuteActions(JsonNode? node, string path, bool insideRefresh)
    {
        switch (node)
        {
            case JsonObject obj:
                if (!insideRefresh && (string?)obj["type"] == "Action.Execute")
                {
                    yield return (obj, path);
                }
                foreach (var (name, child) in obj)
                {
                    // A refresh action is invoked by Teams, never clicked, so it needs no fallback.
                    foreach (var found in ExecuteActions(child, $"{path}.{name}", insideRefresh || name == "refresh"))
                    {
                        yield return found;
                    }
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    foreach (var found in ExecuteActions(array[i], $"{path}[{i}]", insideRefresh))
                    {
                        yield return found;
                    }
                }
                break;
        }
    }

    private static JsonObject WithoutVerb(JsonNode? data)
    {
        var copy = data is JsonObject obj ? obj.DeepClone().AsObject() : [];
        copy.Remove("verb");
        return copy;
    }

    private static bool IsBlank(JsonNode? node) =>
        node?.GetValueKind() != System.Text.Json.JsonValueKind.String || string.IsNullOrWhiteSpace((string?)node);
}
