using System.Text.Json.Nodes;

namespace FusionBot.Bot;

/// <summary>
/// The verb and data of an <c>adaptiveCard/action</c> invoke, read node by node: the value comes from a card, and a
/// card (or anyone holding a token) can send a string, an array or an action without a verb.
/// </summary>
public sealed record CardActionInvoke(string Verb, JsonObject Data)
{
    /// <returns>The action, or null when the value is not <c>{action: {verb: "…", data: {…}}}</c> (data may be absent).</returns>
    public static CardActionInvoke? Read(JsonNode? value)
    {
        if (value is not JsonObject { } body || body["action"] is not JsonObject action
            || action["verb"] is not JsonValue verbNode || !verbNode.TryGetValue<string>(out var verb) || string.IsNullOrWhiteSpace(verb))
        {
            return null;
        }

        return action["data"] switch
        {
            null => new CardActionInvoke(verb, []),
            JsonObject data => new CardActionInvoke(verb, data),
            _ => null,
        };
    }
}
