using System.Text.Json.Nodes;

namespace FusionBot.Cards;

public enum TextSize { Default, Small, Medium, Large, ExtraLarge }

public enum ContainerStyle { Default, Emphasis, Good, Attention, Warning, Accent }

/// <summary>Display elements. Every text argument is markdown: escape maker-typed text with <see cref="CardText.Escape"/>.</summary>
public static class CardElements
{
    public static JsonObject TextBlock(string markdown, TextSize size = TextSize.Default, bool bold = false, bool subtle = false)
    {
        var block = new JsonObject { ["type"] = "TextBlock", ["text"] = markdown, ["wrap"] = true };
        if (size != TextSize.Default)
        {
            block["size"] = size.ToString();
        }
        if (bold)
        {
            block["weight"] = "Bolder";
        }
        if (subtle)
        {
            block["isSubtle"] = true;
        }
        return block;
    }

    public static JsonObject Heading(string markdown) => TextBlock(markdown, TextSize.Medium, bold: true);

    public static JsonObject FactSet(params IEnumerable<(string Title, string Value)> facts) => new()
    {
        ["type"] = "FactSet",
        ["facts"] = new JsonArray([.. facts.Select(f => new JsonObject { ["title"] = f.Title, ["value"] = f.Value })]),
    };

    public static JsonObject Container(IEnumerable<JsonNode> items, ContainerStyle style = ContainerStyle.Default)
    {
        var container = new JsonObject { ["type"] = "Container", ["items"] = new JsonArray([.. items]) };
        if (style != ContainerStyle.Default)
        {
            container["style"] = style.ToString().ToLowerInvariant();
        }
        return container;
    }

    public static JsonObject ColumnSet(params IEnumerable<JsonObject> columns) => new()
    {
        ["type"] = "ColumnSet",
        ["columns"] = new JsonArray([.. columns]),
    };

    /// <param name="width">"auto", "stretch" or a relative weight such as "2".</param>
    public static JsonObject Column(IEnumerable<JsonNode> items, string width = "stretch") => new()
    {
        ["type"] = "Column",
        ["width"] = width,
        ["items"] = new JsonArray([.. items]),
    };

    /// <summary>Buttons inside the body, e.g. under the section they act on.</summary>
    public static JsonObject ActionSet(params IEnumerable<JsonObject> actions) => new()
    {
        ["type"] = "ActionSet",
        ["actions"] = new JsonArray([.. actions]),
    };
}
