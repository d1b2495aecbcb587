using System.Text.Json.Nodes;

namespace FusionBot.Cards;

public sealed record Choice(string Title, string Value);

public enum ChoiceStyle { Compact, Expanded }

/// <summary>
/// Input elements. Labels and titles are plain text (not markdown). Required inputs get an error message, as
/// the Adaptive Cards validator requires for accessibility.
/// </summary>
public static class CardInputs
{
    public static JsonObject Text(string id, string label, string? value = null, string? placeholder = null,
        bool multiline = false, bool required = false, string? errorMessage = null, int? maxLength = null)
    {
        var input = Input("Input.Text", id, label, required, errorMessage);
        SetIfNotNull(input, "value", value);
        SetIfNotNull(input, "placeholder", placeholder);
        if (multiline)
        {
            input["isMultiline"] = true;
        }
        if (maxLength is { } max)
        {
            input["maxLength"] = max;
        }
        return input;
    }

    /// <param name="values">Pre-selected values; several only with <paramref name="multiSelect"/>.</param>
    public static JsonObject ChoiceSet(string id, string label, IEnumerable<Choice> choices,
        ChoiceStyle style = ChoiceStyle.Compact, bool multiSelect = false, IEnumerable<string>? values = null,
        bool required = false, string? errorMessage = null)
    {
        var input = Input("Input.ChoiceSet", id, label, required, errorMessage);
        input["style"] = style == ChoiceStyle.Expanded ? "expanded" : "compact";
        if (multiSelect)
        {
            input["isMultiSelect"] = true;
        }
        input["choices"] = new JsonArray([.. choices.Select(c => new JsonObject { ["title"] = c.Title, ["value"] = c.Value })]);
        var selected = values?.ToList() ?? [];
        if (selected.Count > 0)
        {
            // The wire format for several selected values is one comma-separated string.
            input["value"] = string.Join(',', selected);
        }
        return input;
    }

    /// <summary>A checkbox; submits "true" or "false".</summary>
    public static JsonObject Toggle(string id, string title, bool value = false, string? label = null)
    {
        var input = new JsonObject
        {
            ["type"] = "Input.Toggle",
            ["id"] = id,
            ["title"] = title,
            ["valueOn"] = "true",
            ["valueOff"] = "false",
            ["value"] = value ? "true" : "false",
            // Checklist items are sentences: without wrap Teams cuts them off after one line.
            ["wrap"] = true,
        };
        SetIfNotNull(input, "label", label);
        return input;
    }

    private static JsonObject Input(string type, string id, string label, bool required, string? errorMessage)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var input = new JsonObject { ["type"] = type, ["id"] = id, ["label"] = label };
        if (required)
        {
            input["isRequired"] = true;
            input["errorMessage"] = errorMessage ?? $"{label} is required.";
        }
        return input;
    }

    private static void SetIfNotNull(JsonObject target, string name, string? value)
    {
        if (value is not null)
        {
            target[name] = value;
        }
    }
}
