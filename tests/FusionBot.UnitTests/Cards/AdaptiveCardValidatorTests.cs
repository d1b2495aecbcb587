using System.Text.Json.Nodes;
using FusionBot.Cards;
using FusionBot.TestKit.Cards;
using Xunit.Sdk;

namespace FusionBot.UnitTests.Cards;

/// <summary>Proves the validator really catches broken cards, so a passing card means something.</summary>
public sealed class AdaptiveCardValidatorTests
{
    private static JsonObject Card(string bodyAndActions) => JsonNode.Parse(
        $$"""{"type":"AdaptiveCard","$schema":"{{AdaptiveCardJson.Schema}}","version":"1.5",{{bodyAndActions}}}""")!.AsObject();

    public static TheoryData<string, string, string> BrokenCards => new()
    {
        { "unknown element type", """{"type":"AdaptiveCard","$schema":"http://adaptivecards.io/schemas/adaptive-card.json","version":"1.5","body":[{"type":"Foo"}]}""", "Unknown element type \"Foo\"" },
        { "element newer than 1.5", """{"type":"AdaptiveCard","$schema":"http://adaptivecards.io/schemas/adaptive-card.json","version":"1.5","body":[{"type":"Carousel"}]}""", "Unknown element type \"Carousel\"" },
        { "TextBlock without text", """{"type":"AdaptiveCard","$schema":"http://adaptivecards.io/schemas/adaptive-card.json","version":"1.5","body":[{"type":"TextBlock"}]}""", "property 'text' must be set" },
        { "misspelt property", """{"type":"AdaptiveCard","$schema":"http://adaptivecards.io/schemas/adaptive-card.json","version":"1.5","body":[{"type":"TextBlock","text":"a","wrapp":true}]}""", "unknown property 'wrapp'" },
        { "ChoiceSet without id", """{"type":"AdaptiveCard","$schema":"http://adaptivecards.io/schemas/adaptive-card.json","version":"1.5","body":[{"type":"Input.ChoiceSet","label":"x","choices":[{"title":"a","value":"a"}]}]}""", "All inputs must have a unique Id" },
        { "duplicate input ids", """{"type":"AdaptiveCard","$schema":"http://adaptivecards.io/schemas/adaptive-card.json","version":"1.5","body":[{"type":"Input.Text","id":"a"},{"type":"Input.Text","id":"a"}]}""", "Duplicate Id \"a\"" },
        { "invalid enum value", """{"type":"AdaptiveCard","$schema":"http://adaptivecards.io/schemas/adaptive-card.json","version":"1.5","body":[{"type":"TextBlock","text":"a","size":"huge"}]}""", "Invalid value \"huge\"" },
        { "version 1.6", """{"type":"AdaptiveCard","$schema":"http://adaptivecards.io/schemas/adaptive-card.json","version":"1.6","body":[]}""", "card version (1.6) is not supported" },
        { "no version", """{"type":"AdaptiveCard","$schema":"http://adaptivecards.io/schemas/adaptive-card.json","body":[]}""", "card version must be \"1.5\"" },
        { "no $schema", """{"type":"AdaptiveCard","version":"1.5","body":[]}""", "card $schema must be" },
        { "unknown action type", """{"type":"AdaptiveCard","$schema":"http://adaptivecards.io/schemas/adaptive-card.json","version":"1.5","actions":[{"type":"Action.Http","title":"x"}]}""", "Unknown action type \"Action.Http\"" },
        { "OpenUrl without url", """{"type":"AdaptiveCard","$schema":"http://adaptivecards.io/schemas/adaptive-card.json","version":"1.5","actions":[{"type":"Action.OpenUrl","title":"x"}]}""", "Property \"url\" must be set" },
        // adaptivecards 3.0.6 parses Action.Execute (registered for 1.4+) but checks neither verb nor fallback.
        { "Execute without verb", """{"type":"AdaptiveCard","$schema":"http://adaptivecards.io/schemas/adaptive-card.json","version":"1.5","actions":[{"type":"Action.Execute","title":"x","fallback":{"type":"Action.Submit","title":"x"}}]}""", "Action.Execute must have a verb" },
        { "Execute without fallback", """{"type":"AdaptiveCard","$schema":"http://adaptivecards.io/schemas/adaptive-card.json","version":"1.5","actions":[{"type":"Action.Execute","verb":"approve","title":"x"}]}""", "must have an Action.Submit fallback" },
        { "fallback without the verb", """{"type":"AdaptiveCard","$schema":"http://adaptivecards.io/schemas/adaptive-card.json","version":"1.5","actions":[{"type":"Action.Execute","verb":"approve","title":"x","fallback":{"type":"Action.Submit","title":"x"}}]}""", "must carry data.verb = 'approve'" },
        { "broken fallback", """{"type":"AdaptiveCard","$schema":"http://adaptivecards.io/schemas/adaptive-card.json","version":"1.5","actions":[{"type":"Action.Execute","verb":"go","title":"x","fallback":{"type":"Action.Submitt","title":"x"}}]}""", "Unknown action type \"Action.Submitt\"" },
        { "too many actions", """{"type":"AdaptiveCard","$schema":"http://adaptivecards.io/schemas/adaptive-card.json","version":"1.5","actions":[{"type":"Action.OpenUrl","title":"1","url":"https://a"},{"type":"Action.OpenUrl","title":"2","url":"https://a"},{"type":"Action.OpenUrl","title":"3","url":"https://a"},{"type":"Action.OpenUrl","title":"4","url":"https://a"},{"type":"Action.OpenUrl","title":"5","url":"https://a"},{"type":"Action.OpenUrl","title":"6","url":"https://a"},{"type":"Action.OpenUrl","title":"7","url":"https://a"}]}""", "Maximum number of actions exceeded" },
    };

    [Theory]
    [MemberData(nameof(BrokenCards))]
    public async Task ReportsTheErrorOfABrokenCard(string problem, string cardJson, string expectedError)
    {
        var results = await AdaptiveCardValidator.ValidateAsync([JsonNode.Parse(cardJson)!.AsObject()]);

        var result = Assert.Single(results);
        Assert.False(result.IsValid, problem);
        Assert.Contains(result.Errors, e => e.Contains(expectedError, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ValidatesABatchInOrderAndPassesACorrectCard()
    {
        var good = AdaptiveCardJson.Create([CardElements.TextBlock("hello")], [CardActions.Execute("approve", "Approve", new JsonObject { ["id"] = "FR-1" })]);
        var bad = Card("""
            "body":[{"type":"TextBlock"}]
            """);

        var results = await AdaptiveCardValidator.ValidateAsync([good, bad, good]);

        Assert.Equal([0, 1, 2], results.Select(r => r.Index));
        Assert.Equal([true, false, true], results.Select(r => r.IsValid));
    }

    [Fact]
    public async Task AssertValidAsyncFailsListingEveryError()
    {
        var bad = Card("""
            "body":[{"type":"TextBlock"},{"type":"Foo"}]
            """);

        var failure = await Assert.ThrowsAsync<XunitException>(() => AdaptiveCardValidator.AssertValidAsync(bad));

        Assert.Contains("property 'text' must be set", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Unknown element type \"Foo\"", failure.Message, StringComparison.Ordinal);
    }

    private static JsonObject Chart(string fallback) => Card($$"""
        "body":[{"type":"Chart.Donut","title":"Requests by tier","data":[{"legend":"Tier 1","value":2}]{{fallback}}}]
        """);

    [Fact]
    public async Task AnElementTheParserDoesNotKnowFailsWithoutAFallback()
    {
        var result = Assert.Single(await AdaptiveCardValidator.ValidateAsync([Chart("")]));

        Assert.Contains(result.Errors, e => e.Contains("Unknown element type \"Chart.Donut\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnElementTheParserDoesNotKnowFailsWhenItsFallbackDropsIt()
    {
        var result = Assert.Single(await AdaptiveCardValidator.ValidateAsync([Chart(""","fallback":"drop" """)]));

        Assert.Contains(result.Errors, e => e.Contains("Unknown element type \"Chart.Donut\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnElementTheParserDoesNotKnowPassesWithAValidFallback()
    {
        var card = Chart(""","fallback":{"type":"FactSet","facts":[{"title":"Tier 1","value":"2"}]}""");

        await AdaptiveCardValidator.AssertValidAsync(card);
    }

    [Theory]
    [InlineData(""","fallback":{"type":"TextBlock","txt":"Tier 1: 2"}""", "TextBlock: unknown property 'txt'")]
    [InlineData(""","fallback":{"type":"TextBlock"}""", "property 'text' must be set")]
    [InlineData(""","fallback":{"type":"Chart.Line","data":[{"legend":"a","values":[]}]}""", "Unknown element type \"Chart.Line\"")]
    [InlineData(""","fallback":{"type":"Container","items":[{"type":"TextBlock","text":"a","size":"huge"}]}""", "Invalid value \"huge\"")]
    public async Task AnElementTheParserDoesNotKnowFailsWithAnInvalidFallback(string fallback, string expectedError)
    {
        var result = Assert.Single(await AdaptiveCardValidator.ValidateAsync([Chart(fallback)]));

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Contains(expectedError, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TeamsChartsAreCheckedAgainstTheirDocumentedProperties()
    {
        var card = Card("""
            "body":[{"type":"Chart.VerticalBar","titel":"x","data":[{"x":"W1","value":3}],"fallback":{"type":"TextBlock","text":"W1: 3"}}]
            """);

        var result = Assert.Single(await AdaptiveCardValidator.ValidateAsync([card]));

        Assert.Contains("Chart.VerticalBar: unknown property 'titel'", result.Errors);
        Assert.Contains("Chart.VerticalBar: unknown data property 'value'", result.Errors);
    }

    [Fact]
    public async Task TheChartBuildersMakeValidCharts()
    {
        var fallback = CardElements.FactSet(("Tier 1", "2"));
        var card = AdaptiveCardJson.Create(
        [
            CardCharts.Donut("Requests by tier", [("Tier 1", 2), ("Tier 2", 3)], fallback),
            CardCharts.VerticalBar("Decisions per week", "Week", "Decisions", [("1 Jun", 2), ("8 Jun", 0)], CardElements.TextBlock("1 Jun: 2 · 8 Jun: 0")),
        ]);

        await AdaptiveCardValidator.AssertValidAsync(card);
    }

    [Fact]
    public void AssertUserTextInertCatchesRawMakerMarkdown()
    {
        var card = AdaptiveCardJson.Create([CardElements.TextBlock("Problem: [click](https://evil)")]);

        var failure = Assert.Throws<XunitException>(() => AdaptiveCardValidator.AssertUserTextInert(card, "[click](https://evil)"));

        Assert.Contains("live markdown at '['", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AssertUserTextInertCatchesMakerTextThatIsNotShown()
    {
        var card = AdaptiveCardJson.Create([CardElements.TextBlock("something else")]);

        var failure = Assert.Throws<XunitException>(() => AdaptiveCardValidator.AssertUserTextInert(card, "my app"));

        Assert.Contains("is not shown", failure.Message, StringComparison.Ordinal);
    }
}
