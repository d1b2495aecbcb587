using System.Text.Json.Nodes;
using FusionBot.EndToEndTests.Infrastructure;
using Microsoft.Playwright;

namespace FusionBot.EndToEndTests;

/// <summary>
/// The README's demo walk, followed literally: the roles scripts/playground.sh sets, Alex's intake typed in the
/// Playground's UI, Patti registering the channel and Megan approving through "Mock an Activity → Custom activity"
/// with the README's JSON, and Alex told.
/// </summary>
[Collection(OneAtATime.Name)]
public sealed class DemoWalkInPlaygroundTests : IAsyncLifetime
{
    private const string ProDevChannel = MockTeams.TeamName + " - " + MockTeams.ProDevChannelName;

    // The README's JSON, verbatim.
    private const string RegisterAsPatti = """
        {"type": "message", "id": "demo-1", "text": "<at>FusionBot</at> register tier 2",
         "from": {"id": "user-id-4", "name": "Patti Fernandez", "aadObjectId": "00000000-0000-0000-0000-0000000000024"},
         "entities": [{"type": "mention", "text": "<at>FusionBot</at>",
                       "mentioned": {"id": "00000000-0000-0000-0000-00000000000011", "name": "FusionBot"}}],
         "channelData": {"tenant": {"id": "00000000-0000-0000-0000-0000000000001"},
                         "team": {"id": "team-fusion", "name": "Fusion Team"},
                         "channel": {"id": "channel-prodev-reviews", "name": "Pro-dev Reviews"}}}
        """;

    private const string ApproveAsMegan = """
        {"type": "invoke", "id": "demo-2", "name": "adaptiveCard/action",
         "value": {"action": {"type": "Action.Execute", "verb": "review.approve", "data": {"requestId": "FR-000001"}}},
         "from": {"id": "user-id-1", "name": "Megan Bowen", "aadObjectId": "00000000-0000-0000-0000-0000000000021"}}
        """;

    private FusionBotServer? _bot;
    private AgentsPlayground? _playground;
    private PlaygroundBrowser? _browser;

    private PlaygroundBrowser Browser => _browser!;

    public async Task InitializeAsync()
    {
        Prerequisites.AssertInstalled();
        var artifacts = TestPaths.ArtifactsFor(nameof(DemoWalkInPlaygroundTests));
        // The roles scripts/playground.sh gives the Playground's users.
        _bot = await FusionBotServer.StartAsync(new Dictionary<string, string>
        {
            ["Governance__AdminIds__0"] = "00000000-0000-0000-0000-0000000000024",
            ["Review__ReviewerIds__0"] = "00000000-0000-0000-0000-0000000000021",
            ["Review__ReviewerIds__1"] = "00000000-0000-0000-0000-0000000000022",
        }, artifacts);
        _playground = await AgentsPlayground.StartAsync(_bot.MessagesEndpoint, artifacts);
        _browser = await PlaygroundBrowser.OpenAsync(_playground.BaseUrl, artifacts);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.ScreenshotAsync("end");
            await _browser.DisposeAsync();
        }

        if (_playground is not null)
        {
            await _playground.DisposeAsync();
        }

        if (_bot is not null)
        {
            await _bot.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_readme_walk_intake_register_a_reviewer_decides_from_the_card_and_the_maker_is_told()
    {
        // 1. Alex: hi, new request, the answers, Confirm. Tier 2, waiting for a review channel.
        await Browser.OpenChatAsync("Personal Chat");
        await Browser.TypeMessageAsync("hi");
        await Browser.CardAsync("Hi Alex!");
        await Browser.TypeMessageAsync("new request");
        await Browser.CardAsync("question 1 of 9");
        string[] answers = ["Expense tracker", "Track team expenses", "Power Apps", "My department", "30", "SharePoint", "Internal", "None"];
        for (var i = 0; i < answers.Length; i++)
        {
            await Browser.TypeMessageAsync(answers[i]);
            await Browser.CardAsync($"question {i + 2} of 9");
        }

        await Browser.TypeMessageAsync("skip");
        var summary = await Browser.CardAsync("Your request: Expense tracker");
        await Browser.ScreenshotAsync("intake-summary");
        await PlaygroundBrowser.PressAsync(summary, "Confirm");
        await Browser.CardAsync("Submitted: FR-000001");
        await Browser.TextMessageAsync("FR-000001 is waiting: no Tier 2 review channel is set up yet");
        await Browser.ScreenshotAsync("intake-submitted-waiting");

        // 2. Patti registers the Pro-dev Reviews channel; the waiting request's card appears there, status only for Alex.
        await Browser.OpenChatAsync(ProDevChannel);
        await _playground!.SendCustomActivityAsync(MockTeams.ProDevChannelId, JsonNode.Parse(RegisterAsPatti)!.AsObject());
        var card = await Browser.CardAsync("FR-000001 · Expense tracker");
        await Assertions.Expect(card).ToContainTextAsync("Tier 2 · async review");
        await Assertions.Expect(card).ToContainTextAsync("Pending review");
        await Assertions.Expect(card.GetByRole(AriaRole.Button, new() { Name = "Approve" })).ToHaveCountAsync(0);
        await Browser.ScreenshotAsync("review-card-as-maker");

        // 3. Megan approves from the card: the card turns to Approved, with who, for everyone.
        await _playground.SendCustomActivityAsync(MockTeams.ProDevChannelId, JsonNode.Parse(ApproveAsMegan)!.AsObject());
        await Assertions.Expect(card).ToContainTextAsync("Approved by Megan Bowen");
        await Browser.ScreenshotAsync("review-card-approved");

        // 4. Alex has been told; status fr 1 shows the request and its history.
        await Browser.OpenChatAsync("Personal Chat");
        await Browser.TextMessageAsync("was approved by Megan Bowen");
        await Browser.TypeMessageAsync("status fr 1");
        await Browser.CardAsync("Approved");
        await Browser.ScreenshotAsync("maker-told");
    }
}
