using System.Text.RegularExpressions;
using FusionBot.EndToEndTests.Infrastructure;
using Microsoft.Playwright;

namespace FusionBot.EndToEndTests;

/// <summary>
/// FusionBot for real (its own process on Kestrel, embedded store, no Azure) against the Microsoft 365 Agents
/// Playground, the maker typing in the Playground's web UI in headless chromium.
/// </summary>
public sealed partial class MakerIntakeInPlaygroundTests : IAsyncLifetime
{
    private FusionBotServer? _bot;
    private AgentsPlayground? _playground;
    private PlaygroundBrowser? _browser;

    private PlaygroundBrowser Browser => _browser!;

    public async Task InitializeAsync()
    {
        Prerequisites.AssertInstalled();
        _bot = await FusionBotServer.StartAsync(new Dictionary<string, string>
        {
            ["Governance__AdminIds__0"] = MockTeams.Alex.AadObjectId,
            ["Review__ReviewerIds__0"] = MockTeams.Megan.AadObjectId,
        });
        _playground = await AgentsPlayground.StartAsync(_bot.MessagesEndpoint);
        _browser = await PlaygroundBrowser.OpenAsync(_playground.BaseUrl);
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
    public async Task The_maker_types_a_Tier_2_request_in_the_personal_chat_and_sees_it_submitted()
    {
        await Browser.OpenChatAsync("Personal Chat");
        await Browser.TypeMessageAsync("new request");
        await Browser.CardAsync("question 1 of 8");
        await Browser.ScreenshotAsync("intake-first-question");

        string[] answers = ["Expense tracker", "Track the department's expenses", "Power Apps", "My department", "30", "SharePoint", "Internal"];
        for (var i = 0; i < answers.Length; i++)
        {
            await Browser.TypeMessageAsync(answers[i]);
            await Browser.CardAsync($"question {i + 2} of 8");
        }

        await Browser.TypeMessageAsync("None");
        var summary = await Browser.CardAsync("Your request: Expense tracker");
        await Assertions.Expect(summary).ToContainTextAsync("Tier 2");
        await Assertions.Expect(summary).ToContainTextAsync("Confirm");
        await Browser.ScreenshotAsync("intake-summary-tier-2");

        await Browser.TypeMessageAsync("confirm");
        var submitted = await Browser.CardAsync(SubmittedHeading());
        await Assertions.Expect(submitted).ToContainTextAsync("Expense tracker");
        await Assertions.Expect(submitted).ToContainTextAsync("Tier 2");
        await Browser.ScreenshotAsync("intake-submitted");
    }

    [GeneratedRegex(@"Submitted: FR-\d+")]
    private static partial Regex SubmittedHeading();
}
