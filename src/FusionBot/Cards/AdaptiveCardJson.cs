using System.Text.Json.Nodes;
using FusionBot.Protocol.Models;

namespace FusionBot.Cards;

/// <summary>
/// Creates Adaptive Cards as plain JSON, at the schema version Teams renders (1.5).
/// Text passed to any builder is markdown: maker-typed text must go through <see cref="CardText.Escape"/> first.
/// </summary>
public static class AdaptiveCardJson
{
    public const string Version = "1.5";
    public const string Schema = "http://adaptivecards.io/schemas/adaptive-card.json";

    /// <summary>Teams shows a card's automatic refresh to at most this many listed users.</summary>
    public const int MaxRefreshUserIds = 60;

    /// <param name="fullWidth">Teams otherwise squeezes cards into a narrow bubble; wide cards read better for facts and forms.</param>
    public static JsonObject Create(IEnumerable<JsonNode> body, IEnumerable<JsonNode>? actions = null, bool fullWidth = true)
    {
        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = Schema,
            ["version"] = Version,
            ["body"] = new JsonArray([.. body]),
        };
        var actionArray = new JsonArray([.. actions ?? []]);
        if (actionArray.Count > 0)
        {
            card["actions"] = actionArray;
        }
        if (fullWidth)
        {
            card["msteams"] = new JsonObject { ["width"] = "Full" };
        }
        return card;
    }

    /// <summary>
    /// Makes Teams fetch a fresh, per-user version of the card (an <c>adaptiveCard/action</c> invoke with
    /// <paramref name="verb"/>) when one of <paramref name="userIds"/> opens it; other users see the card as sent.
    /// </summary>
    public static JsonObject WithRefresh(this JsonObject card, string verb, IReadOnlyCollection<string> userIds, JsonObject? data = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(verb);
        if (userIds.Count > MaxRefreshUserIds)
        {
            throw new ArgumentOutOfRangeException(nameof(userIds), userIds.Count,
                $"Teams refreshes a card automatically for at most {MaxRefreshUserIds} users.");
        }
        var action = new JsonObject { ["type"] = CardActions.ExecuteType, ["verb"] = verb };
        if (data is not null)
        {
            action["data"] = data.DeepClone();
        }
        card["refresh"] = new JsonObject
        {
            ["action"] = action,
            ["userIds"] = new JsonArray([.. userIds.Select(id => JsonValue.Create(id))]),
        };
        return card;
    }

    public static Attachment ToAttachment(this JsonObject card) => Attachment.AdaptiveCard(card);
}
