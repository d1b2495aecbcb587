using System.Globalization;
using System.Text.Json.Nodes;
using FusionBot.Cards;
using FusionBot.Storage;
using static FusionBot.Cards.CardElements;

namespace FusionBot.Features.Components;

/// <summary>How many makers opened a component from a suggestion, and how many requests use it.</summary>
public sealed record ComponentUptake(int OpenedBy, int UsedBy);

/// <summary>The catalogue's cards, and the suggestion blocks the intake summary and the submitted card show.</summary>
public static class ComponentCards
{
    /// <summary>Keys of the value a "Using this" button posts.</summary>
    public const string UseKey = "componentUse";
    public const string RequestKey = "componentRequest";

    /// <summary>
    /// How many components the list shows. Teams refuses a message over about 28 KB and a listed component takes up to
    /// about 1.5 KB, so a growing catalogue is searched (<c>components</c> followed by words) rather than listed whole.
    /// </summary>
    public const int MaxListed = 15;

    /// <summary>Enough of a description to recognise a component in the list; its link has the rest.</summary>
    public const int ListedDescriptionLength = 200;

    /// <param name="active">The components to list, in the order shown: the store's, by name, so a maker can scan for one and the first page stays put as the catalogue grows.</param>
    /// <param name="uptake">For CoE admins: how many makers opened each component from a suggestion, and how many requests use it.</param>
    /// <param name="search">What the maker searched for, or null for the whole catalogue.</param>
    public static JsonObject List(IReadOnlyList<CatalogueComponent> active, bool isAdmin, IReadOnlyDictionary<string, ComponentUptake>? uptake = null, string? search = null)
    {
        ArgumentNullException.ThrowIfNull(active);
        List<JsonNode> body = [Heading(search is null ? "Approved components" : $"Approved components matching \"{CardText.EscapeLine(search, 80)}\"")];
        if (active.Count == 0)
        {
            body.Add(TextBlock(search is null ? "The catalogue is empty for now." : "None matches: try another word, or type **components** to see them all."));
        }
        body.AddRange(active.Take(MaxListed)
            .Select(c => Describe(c, uptake?.GetValueOrDefault(c.Id) ?? (uptake is null ? null : new ComponentUptake(0, 0)), ListedDescriptionLength)));
        if (active.Count > MaxListed)
        {
            body.Add(TextBlock($"…and {active.Count - MaxListed} more: " + (search is null
                ? "type **components** followed by a word to search."
                : "add another word to narrow the search.")));
        }
        if (isAdmin)
        {
            body.Add(TextBlock("CoE admins: **component add** to add one, **component retire** followed by its name to retire one.", subtle: true));
        }

        return AdaptiveCardJson.Create(body, isAdmin ? [CardActions.Command("Add a component", "component add")] : null);
    }

    public static JsonObject Form(ComponentForm.Entered? entered, IReadOnlyList<string> problems)
    {
        List<JsonNode> body = [Heading("Add an approved component")];
        if (problems.Count > 0)
        {
            body.Add(Container([.. problems.Select(p => TextBlock("• " + CardText.EscapeLine(p)))], ContainerStyle.Attention));
        }

        body.AddRange(
        [
            CardInputs.Text(ComponentForm.NameKey, "Name", entered?.Name, "Expense approval flow", required: true, maxLength: ComponentForm.MaxNameLength),
            CardInputs.Text(ComponentForm.DescriptionKey, "Description", entered?.Description, "What it does and when to reuse it",
                multiline: true, required: true, maxLength: ComponentForm.MaxDescriptionLength),
            CardInputs.Text(ComponentForm.TagsKey, "Tags (comma-separated)", entered?.Tags, "approval, expenses, sharepoint"),
            CardInputs.ChoiceSet(ComponentForm.TiersKey, "Suitable tiers",
                [.. Enumerable.Range(1, 4).Select(t => new Choice($"Tier {t}", t.ToString(CultureInfo.InvariantCulture)))],
                ChoiceStyle.Expanded, multiSelect: true, values: entered?.Tiers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                required: true, errorMessage: "Choose at least one tier."),
            CardInputs.Text(ComponentForm.LinkKey, "Link", entered?.Link, "https://…", required: true, errorMessage: "Link is required."),
            CardInputs.Text(ComponentForm.OwnerKey, "Owner", entered?.Owner, "Team or person who maintains it", required: true),
        ]);
        return AdaptiveCardJson.Create(body,
        [
            CardActions.Submit("Add to the catalogue", new JsonObject { [ComponentForm.FormKey] = "add" }, style: ActionStyle.Positive),
        ]);
    }

    /// <summary>The summary's suggestions: each with a link to open it.</summary>
    public static JsonObject Suggestions(IReadOnlyList<SuggestedComponent> suggestions) => Container(
    [
        TextBlock("Approved components you could reuse", bold: true),
        .. suggestions.Select(s => Container(
        [
            Describe(s.Component, uptake: null, ComponentForm.MaxDescriptionLength),
            ActionSet(CardActions.OpenUrl("Open " + CardText.Truncate(s.Component.Name, 40), s.OpenLink)),
        ])),
    ]);

    /// <summary>The submitted card's suggestions: a link, and "Using this" to record that the request reuses it.</summary>
    public static JsonObject UsingThis(string requestId, IReadOnlyList<SuggestedComponent> suggestions) => Container(
    [
        TextBlock("Reusing one of these? Tell me, so the CoE knows what helps.", bold: true),
        .. suggestions.Select(s => Container(
        [
            TextBlock($"**{CardText.EscapeLine(s.Component.Name)}**: {CardText.EscapeLine(s.Component.Description, 300)}"),
            ActionSet(
                CardActions.Submit("Using this", new JsonObject { [UseKey] = s.Component.Id, [RequestKey] = requestId }, withInputs: false, ActionStyle.Positive),
                CardActions.OpenUrl("Open", s.OpenLink)),
        ])),
    ]);

    private static JsonObject Describe(CatalogueComponent c, ComponentUptake? uptake, int descriptionLength)
    {
        List<(string, string)> facts =
        [
            ("Tiers", string.Join(", ", c.Tiers)),
            ("Tags", c.Tags.Count == 0 ? "—" : CardText.EscapeLine(string.Join(", ", c.Tags))),
            ("Owner", CardText.EscapeLine(c.Owner)),
            ("Link", CardText.EscapeLine(c.Link.AbsoluteUri)),
        ];
        if (uptake is not null)
        {
            facts.Add(("Uptake", $"opened by {Count(uptake.OpenedBy, "maker")}, used in {Count(uptake.UsedBy, "request")}"));
        }

        return Container(
        [
            TextBlock(CardText.EscapeLine(c.Name), bold: true),
            TextBlock(CardText.Escape(c.Description, descriptionLength)),
            FactSet([.. facts]),
        ]);
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n.ToString(CultureInfo.InvariantCulture)} {noun}s";
}
