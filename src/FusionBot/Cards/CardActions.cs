using System.Text.Json.Nodes;

namespace FusionBot.Cards;

public enum ActionStyle { Default, Positive, Destructive }

/// <summary>Card buttons.</summary>
public static class CardActions
{
    public const string ExecuteType = "Action.Execute";
    public const string SubmitType = "Action.Submit";

    /// <summary>The data key that carries the verb when a client falls back from Action.Execute to Action.Submit.</summary>
    public const string VerbKey = "verb";

    /// <summary>
    /// A button that sends an <c>adaptiveCard/action</c> invoke with <paramref name="verb"/>. Clients without
    /// Action.Execute render the fallback instead, an Action.Submit whose message value carries the same data
    /// plus <see cref="VerbKey"/>, so one handler can serve both.
    /// </summary>
    public static JsonObject Execute(string verb, string title, JsonObject? data = null, ActionStyle style = ActionStyle.Default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(verb);
        var payload = data?.DeepClone().AsObject() ?? [];
        var fallbackData = payload.DeepClone().AsObject();
        fallbackData[VerbKey] = verb;

        var action = new JsonObject { ["type"] = ExecuteType, ["verb"] = verb, ["title"] = title, ["data"] = payload };
        var fallback = new JsonObject { ["type"] = SubmitType, ["title"] = title, ["data"] = fallbackData };
        SetStyle(action, style);
        SetStyle(fallback, style);
        action["fallback"] = fallback;
        return action;
    }

    /// <summary>
    /// A button that types <paramref name="command"/> into the chat as the user (Teams imBack), so it reaches
    /// the bot exactly like a typed command and stays visible in the conversation.
    /// </summary>
    public static JsonObject Command(string title, string command) => new()
    {
        ["type"] = SubmitType,
        ["title"] = title,
        ["data"] = new JsonObject
        {
            ["msteams"] = new JsonObject { ["type"] = "imBack", ["value"] = command },
        },
    };

    /// <summary>
    /// A button that posts <paramref name="data"/> with the card's inputs as the value of a message from the
    /// user: for cards in the 1:1 chat whose answers continue a dialog. <paramref name="withInputs"/> false sends
    /// the data alone, so a Back button never trips input validation.
    /// </summary>
    public static JsonObject Submit(string title, JsonObject data, bool withInputs = true, ActionStyle style = ActionStyle.Default)
    {
        var action = new JsonObject { ["type"] = SubmitType, ["title"] = title, ["data"] = data };
        if (!withInputs)
        {
            action["associatedInputs"] = "none";
        }
        SetStyle(action, style);
        return action;
    }

    public static JsonObject OpenUrl(string title, Uri url) => new()
    {
        ["type"] = "Action.OpenUrl",
        ["title"] = title,
        ["url"] = url.AbsoluteUri,
    };

    private static void SetStyle(JsonObject action, ActionStyle style)
    {
        if (style != ActionStyle.Default)
        {
            action["style"] = style == ActionStyle.Positive ? "positive" : "destructive";
        }
    }
}
