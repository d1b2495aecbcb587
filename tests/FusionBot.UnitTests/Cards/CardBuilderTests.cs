using System.Text.Json.Nodes;
using FusionBot.Cards;
using FusionBot.TestKit.Cards;

namespace FusionBot.UnitTests.Cards;

public sealed class CardBuilderTests
{
    [Fact]
    public async Task ACardUsingEveryBuilderPassesTheOfficialParserAndOurRules()
    {
        var card = AdaptiveCardJson.Create(
        [
            CardElements.Heading("Review FR-000123"),
            CardElements.TextBlock("Submitted by someone", TextSize.Small, subtle: true),
            CardElements.Container([CardElements.FactSet(("Tier", "3"), ("Users", "120"))], ContainerStyle.Emphasis),
            CardElements.ColumnSet(
                CardElements.Column([CardElements.TextBlock("left")], "auto"),
                CardElements.Column([CardElements.TextBlock("right")])),
            CardInputs.Text("comment", "Comment", placeholder: "Why?", multiline: true, required: true, maxLength: 500),
            CardInputs.ChoiceSet("audience", "Audience", [new("My team", "MyTeam"), new("My department", "MyDepartment")], required: true),
            CardInputs.ChoiceSet("sources", "Data sources", [new("SharePoint", "sharepoint"), new("SQL Server", "sql-server")],
                ChoiceStyle.Expanded, multiSelect: true, values: ["sharepoint", "sql-server"]),
            CardInputs.Toggle("agree", "I followed the checklist", label: "Self-certification"),
            CardElements.ActionSet(CardActions.OpenUrl("Guidance", new Uri("https://contoso.example/guide"))),
        ],
        [
            CardActions.Execute("approve", "Approve", new JsonObject { ["requestId"] = "FR-000123" }, ActionStyle.Positive),
            CardActions.Execute("reject", "Reject", new JsonObject { ["requestId"] = "FR-000123" }, ActionStyle.Destructive),
            CardActions.Command("My requests", "my requests"),
        ]).WithRefresh("refreshReview", ["29:user-1", "29:user-2"], new JsonObject { ["requestId"] = "FR-000123" });

        await AdaptiveCardValidator.AssertValidAsync(card);
        Assert.Equal("Full", (string?)card["msteams"]?["width"]);
    }

    [Fact]
    public void ExecuteFallsBackToASubmitCarryingTheSameDataAndTheVerb()
    {
        var data = new JsonObject { ["requestId"] = "FR-000123" };

        var action = CardActions.Execute("approve", "Approve", data);

        Assert.Equal("""{"requestId":"FR-000123"}""", action["data"]!.ToJsonString());
        var fallback = action["fallback"]!.AsObject();
        Assert.Equal("Action.Submit", (string?)fallback["type"]);
        Assert.Equal("""{"requestId":"FR-000123","verb":"approve"}""", fallback["data"]!.ToJsonString());
        Assert.Equal("""{"requestId":"FR-000123"}""", data.ToJsonString()); // the caller's object is not changed or adopted
    }

    [Fact]
    public void CommandButtonsSendAnImBackWithTheCommand()
    {
        var button = CardActions.Command("Help", "help");

        Assert.Equal("""{"type":"Action.Submit","title":"Help","data":{"msteams":{"type":"imBack","value":"help"}}}""", button.ToJsonString());
    }

    [Fact]
    public void RefreshRefusesMoreUsersThanTeamsRefreshesFor()
    {
        var card = AdaptiveCardJson.Create([CardElements.TextBlock("x")]);
        var users = Enumerable.Range(1, AdaptiveCardJson.MaxRefreshUserIds + 1).Select(i => $"29:user-{i}").ToList();

        Assert.Throws<ArgumentOutOfRangeException>(() => card.WithRefresh("refresh", users));
        card.WithRefresh("refresh", users[..AdaptiveCardJson.MaxRefreshUserIds]);
        Assert.Equal(AdaptiveCardJson.MaxRefreshUserIds, card["refresh"]!["userIds"]!.AsArray().Count);
    }

    [Fact]
    public void ACardBecomesAnAdaptiveCardAttachment()
    {
        var card = AdaptiveCardJson.Create([CardElements.TextBlock("x")]);

        var attachment = card.ToAttachment();

        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.ContentType);
        Assert.Same(card, attachment.Content);
    }
}
