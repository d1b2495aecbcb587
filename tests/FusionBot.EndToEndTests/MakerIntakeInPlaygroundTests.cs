using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using FusionBot.EndToEndTests.Infrastructure;
using Microsoft.Playwright;

namespace FusionBot.EndToEndTests;

/// <summary>
/// FusionBot for real (its own process on Kestrel, embedded store, no Azure) against the Microsoft 365 Agents
/// Playground, the maker typing in the Playground's web UI in headless chromium.
/// </summary>
[Collection(OneAtATime.Name)]
public sealed partial class MakerIntakeInPlaygroundTests : IAsyncLifetime
{
    private FusionBotServer? _bot;
    private AgentsPlayground? _playground;
    private PlaygroundBrowser? _browser;

    private PlaygroundBrowser Browser => _browser!;

    public async Task InitializeAsync()
    {
        Prerequisites.AssertInstalled();
        var artifacts = TestPaths.ArtifactsFor(nameof(MakerIntakeInPlaygroundTests));
        _bot = await FusionBotServer.StartAsync(new Dictionary<string, string>
        {
            ["Governance__AdminIds__0"] = MockTeams.Alex.AadObjectId,
            ["Review__ReviewerIds__0"] = MockTeams.Megan.AadObjectId,
        }, artifacts);
        _playground = await AgentsPlayground.StartAsync(_bot.MessagesEndpoint, artifacts);
        _browser = await PlaygroundBrowser.OpenAsync(_playground.BaseUrl, artifacts);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            // What the UI showed last: where a failing test stopped.
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
    public async Task A_Tier_2_request_typed_by_the_maker_is_approved_by_a_reviewer_in_the_pro_dev_channel()
    {
        // Alex, a CoE admin, sends Tier 2 reviews to the Pro-dev Reviews channel.
        await Browser.OpenChatAsync(ProDevChannel);
        await Browser.TypeMentionAsync("FusionBot", "register tier 2");
        await Browser.TextMessageAsync("Tier 2 reviews now go to this channel");
        await Browser.ScreenshotAsync("channel-registered");

        // Alex, as a maker, asks for a Tier 2 solution in the personal chat, typing every answer.
        await Browser.OpenChatAsync("Personal Chat");
        await Browser.TypeMessageAsync("new request");
        await Browser.CardAsync("question 1 of 9");
        await Browser.ScreenshotAsync("intake-first-question");

        string[] answers = ["Expense tracker", "Track the department's expenses", "Power Apps", "My department", "30", "SharePoint", "Internal", "None"];
        for (var i = 0; i < answers.Length; i++)
        {
            await Browser.TypeMessageAsync(answers[i]);
            await Browser.CardAsync($"question {i + 2} of 9");
        }

        await Browser.TypeMessageAsync("3");
        var summary = await Browser.CardAsync("Your request: Expense tracker");
        await Assertions.Expect(summary).ToContainTextAsync("Tier 2");
        await Assertions.Expect(summary).ToContainTextAsync("Confirm");
        await Browser.ScreenshotAsync("intake-summary-tier-2");

        await Browser.TypeMessageAsync("confirm");
        var submitted = await Browser.CardAsync(SubmittedHeading());
        await Assertions.Expect(submitted).ToContainTextAsync("Expense tracker");
        var requestId = SubmittedHeading().Match(await submitted.InnerTextAsync()).Groups["id"].Value;
        await Browser.ScreenshotAsync("intake-submitted");

        // The review card arrives in the channel. Alex, its maker, sees its status only: Teams refreshes it with the
        // decision buttons for the channel's reviewers, whom the bot found on the channel's roster.
        await Browser.OpenChatAsync(ProDevChannel);
        var reviewCard = await Browser.CardAsync($"{requestId} · Expense tracker");
        await Assertions.Expect(reviewCard).ToContainTextAsync("Tier 2 · async review");
        await Assertions.Expect(reviewCard).ToContainTextAsync("Reviewers see the decision buttons");
        await Assertions.Expect(reviewCard.GetByRole(AriaRole.Button, new() { Name = "Approve" })).ToHaveCountAsync(0);
        await Browser.ScreenshotAsync("review-card-in-channel");
        var cardMessage = Browser.LastStreamedMessageContaining(RefreshVerb);
        Assert.NotNull(cardMessage);
        var refresh = CardJson.FindAction(cardMessage.Message, "Action.Execute", o => o["verb"] is JsonValue v && v.ToString() == RefreshVerb, "refresh");
        Assert.Contains(MockTeams.Megan.Id, cardMessage.Message.ToJsonString(), StringComparison.Ordinal);

        // Megan, a reviewer, presses Approve on that card (the UI acts only as Alex, who may not decide his own request).
        var approve = new JsonObject { ["verb"] = ApproveVerb, ["data"] = refresh["data"]!.DeepClone() };
        Assert.Equal(requestId, approve["data"]?["requestId"]?.GetValue<string>());
        var answer = await _playground!.PressCardButtonAsync(MockTeams.Megan, cardMessage, approve);
        Assert.Contains($"by {MockTeams.Megan.Name}", answer.ToJsonString(), StringComparison.Ordinal);

        // Everyone in the channel sees the card updated with the decision, without the buttons.
        await Assertions.Expect(reviewCard).ToContainTextAsync($"Approved by {MockTeams.Megan.Name}");
        await Assertions.Expect(reviewCard.GetByRole(AriaRole.Button, new() { Name = "Approve" })).ToHaveCountAsync(0);
        await Browser.ScreenshotAsync("review-card-approved");

        // And the maker is told in the personal chat.
        await Browser.OpenChatAsync("Personal Chat");
        await Browser.TextMessageAsync($"was approved by {MockTeams.Megan.Name}");
        await Browser.ScreenshotAsync("maker-told-approved");
    }

    private const string ProDevChannel = MockTeams.TeamName + " - " + MockTeams.ProDevChannelName;
    private const string ApproveVerb = "review.approve";
    private const string RefreshVerb = "review.refresh";

    [GeneratedRegex(@"Submitted: (?<id>FR-\d+)")]
    private static partial Regex SubmittedHeading();
}
