using System.Globalization;
using System.Text.Json.Nodes;
using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.Features.Components;

/// <summary>Reads and checks what a CoE admin entered on the "add a component" card.</summary>
public static class ComponentForm
{
    public const string FormKey = "componentForm";
    public const string NameKey = "componentName";
    public const string DescriptionKey = "componentDescription";
    public const string TagsKey = "componentTags";
    public const string TiersKey = "componentTiers";
    public const string LinkKey = "componentLink";
    public const string OwnerKey = "componentOwner";

    public const int MaxNameLength = 80;
    public const int MaxDescriptionLength = 500;
    public const int MaxTags = 10;

    /// <summary>What was entered, kept so the form can be shown again with the problems.</summary>
    public sealed record Entered(string Name, string Description, string Tags, string Tiers, string Link, string Owner);

    public sealed record Result(CatalogueComponent? Component, IReadOnlyList<string> Problems);

    public static Entered Read(JsonObject value) => new(
        Text(value, NameKey), Text(value, DescriptionKey), Text(value, TagsKey), Text(value, TiersKey), Text(value, LinkKey), Text(value, OwnerKey));

    public static Result Validate(Entered entered, Person addedBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entered);
        var problems = new List<string>();
        Require(entered.Name, "Name", problems);
        Require(entered.Description, "Description", problems);
        Require(entered.Owner, "Owner", problems);
        Require(entered.Link, "Link", problems);
        if (entered.Name.Length > MaxNameLength)
        {
            problems.Add($"Name is at most {MaxNameLength} characters.");
        }
        if (entered.Description.Length > MaxDescriptionLength)
        {
            problems.Add($"Description is at most {MaxDescriptionLength} characters.");
        }

        Uri? link = null;
        if (entered.Link.Length > 0 && !(Uri.TryCreate(entered.Link, UriKind.Absolute, out link) && link.Scheme is "https" or "http"))
        {
            problems.Add("Link must be a full web address starting with https://.");
        }

        var tiers = ReadTiers(entered.Tiers, problems);
        var tags = entered.Tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (tags.Count > MaxTags)
        {
            problems.Add($"Give at most {MaxTags} tags.");
        }

        if (problems.Count > 0)
        {
            return new(null, problems);
        }

        return new(new CatalogueComponent
        {
            Id = CatalogueComponent.IdOf(entered.Name),
            Name = entered.Name,
            Description = entered.Description,
            Tags = tags,
            Tiers = tiers,
            Link = link!,
            Owner = entered.Owner,
            AddedBy = addedBy,
            AddedAt = now,
        }, []);
    }

    private static List<int> ReadTiers(string text, List<string> problems)
    {
        var parts = text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var tiers = new SortedSet<int>();
        foreach (var part in parts)
        {
            if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var tier) && tier is >= 1 and <= 4)
            {
                tiers.Add(tier);
            }
            else
            {
                problems.Add("Suitable tiers are numbers from 1 to 4, e.g. 1,2.");
                return [];
            }
        }

        if (tiers.Count == 0)
        {
            problems.Add("Choose at least one suitable tier (1 to 4).");
        }

        return [.. tiers];
    }

    private static void Require(string value, string label, List<string> problems)
    {
        if (value.Length == 0)
        {
            problems.Add($"{label} is required.");
        }
    }

    private static string Text(JsonObject value, string key) =>
        value[key] is JsonValue node && node.TryGetValue<string>(out var text) ? string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)) : "";
}
