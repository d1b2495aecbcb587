using FusionBot.Features.Components;
using FusionBot.TestKit.Cards;

namespace FusionBot.UnitTests.Components;

public sealed class ComponentCardsTests
{
    private const string Hostile = "**Bold** <b>x</b> [link](https://evil.example) {{DATE(2026-01-01T00:00:00Z)}} ${secret}";

    private static readonly FusionBot.Storage.CatalogueComponent Tricky =
        ComponentSuggestionsTests.Component("# " + Hostile, "- " + Hostile, ["_tag_"], [1, 2]);

    private static readonly SuggestedComponent TrickySuggested = new(Tricky, new Uri("https://bot.example/components/open?sig=x"));

    [Fact]
    public async Task Every_catalogue_card_passes_the_official_parser()
    {
        await AdaptiveCardValidator.AssertValidAsync(
            ComponentCards.List([Tricky], isAdmin: true),
            ComponentCards.List([Tricky], isAdmin: true, new Dictionary<string, ComponentUptake> { [Tricky.Id] = new(3, 1) }),
            ComponentCards.List([], isAdmin: false),
            ComponentCards.Form(null, []),
            ComponentCards.Form(new ComponentForm.Entered(Hostile, Hostile, "a, b", "1,2", "not a link", Hostile), ["Link must be a full web address starting with https://."]),
            AdaptiveCards(ComponentCards.Suggestions([TrickySuggested])),
            AdaptiveCards(ComponentCards.UsingThis("FR-000001", [TrickySuggested])));
    }

    [Fact]
    public void Text_an_admin_typed_is_shown_inert()
    {
        AdaptiveCardValidator.AssertUserTextInert(ComponentCards.List([Tricky], isAdmin: false), Hostile);
        AdaptiveCardValidator.AssertUserTextInert(AdaptiveCards(ComponentCards.Suggestions([TrickySuggested])), Hostile);
        AdaptiveCardValidator.AssertUserTextInert(AdaptiveCards(ComponentCards.UsingThis("FR-000001", [TrickySuggested])), Hostile);
    }

    [Fact]
    public void Using_this_posts_the_component_and_the_request_beside_a_link()
    {
        var approval = ComponentSuggestionsTests.Component("Approval flow", "Approvals", ["approval"], [2]);

        var json = ComponentCards.UsingThis("FR-000007", [new(approval, new Uri("https://bot.example/components/open?component=approval"))]).ToJsonString();

        Assert.Contains("\"data\":{\"componentUse\":\"approval flow\",\"componentRequest\":\"FR-000007\"}", json, StringComparison.Ordinal);
        Assert.Contains("\"url\":\"https://bot.example/components/open?component=approval\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Admins_see_how_often_each_component_was_opened_and_used()
    {
        var approval = ComponentSuggestionsTests.Component("Approval flow", "Approvals", ["approval"], [2]);
        var unused = ComponentSuggestionsTests.Component("Audit log", "Logs", ["audit"], [2]);

        var json = ComponentCards.List([approval, unused], isAdmin: true, new Dictionary<string, ComponentUptake> { [approval.Id] = new(2, 1) }).ToJsonString();

        Assert.Contains("opened by 2 makers, used in 1 request", json, StringComparison.Ordinal);
        Assert.Contains("opened by 0 makers, used in 0 requests", json, StringComparison.Ordinal);
        Assert.DoesNotContain("opened by", ComponentCards.List([approval], isAdmin: false).ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_large_catalogue_lists_fifteen_with_short_descriptions_and_stays_under_the_teams_message_limit()
    {
        var words = string.Join(' ', Enumerable.Repeat("Reusable approval building block with retention and audit.", 10));
        var catalogue = Enumerable.Range(1, 40)
            .Select(i => ComponentSuggestionsTests.Component($"Component {i:D2} " + new string('n', 66), words[..ComponentForm.MaxDescriptionLength],
                [.. Enumerable.Range(1, ComponentForm.MaxTags).Select(t => $"tag{t}")], [1, 2, 3, 4]))
            .ToList();

        var card = ComponentCards.List(catalogue, isAdmin: true, catalogue.ToDictionary(c => c.Id, _ => new ComponentUptake(12, 3)));

        var json = card.ToJsonString();
        Assert.Contains("Component 15", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Component 16", json, StringComparison.Ordinal);
        Assert.Contains("and 25 more: type **components** followed by a word to search.", json, StringComparison.Ordinal);
        Assert.DoesNotContain(words[..ComponentForm.MaxDescriptionLength], json, StringComparison.Ordinal);
        Assert.Contains("(truncated)", json, StringComparison.Ordinal);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(json) < 28_000, $"The list card is {json.Length} characters.");
        await AdaptiveCardValidator.AssertValidAsync(card, ComponentCards.List([], isAdmin: false, search: "nothing"));
    }

    private static System.Text.Json.Nodes.JsonObject AdaptiveCards(System.Text.Json.Nodes.JsonObject container) =>
        FusionBot.Cards.AdaptiveCardJson.Create([container]);
}
