using System.Text.Json.Nodes;

namespace FusionBot.EndToEndTests.Infrastructure;

/// <summary>Finding things in a message's card JSON, as the Playground's UI received it.</summary>
internal static class CardJson
{
    /// <summary>The card's action of <paramref name="type"/> for which <paramref name="matches"/> holds, wherever it sits (actions, action sets).</summary>
    public static JsonObject FindAction(JsonObject message, string type, Func<JsonObject, bool> matches, string what) =>
        Descendants(message).OfType<JsonObject>().FirstOrDefault(o => o["type"] is JsonValue t && t.ToString() == type && matches(o))
        ?? throw new InvalidOperationException($"The message has no {what}: {message.ToJsonString()}");

    private static IEnumerable<JsonNode> Descendants(JsonNode? node)
    {
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a,
            _ => [],
        };
        if (node is not null)
        {
            yield return node;
        }

        foreach (var descendant in children.SelectMany(Descendants))
        {
            yield return descendant;
        }
    }
}
