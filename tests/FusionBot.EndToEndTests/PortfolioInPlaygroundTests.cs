using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FusionBot.EndToEndTests.Infrastructure;
using Microsoft.Playwright;

namespace FusionBot.EndToEndTests;

/// <summary>
/// Issue 10 walked through in the Agents Playground: a new maker is welcomed, gets a catalogue component suggested
/// at intake (and opens it, which the bot records), self-certifies a Tier 1 solution, and its periodic review (due seconds later here) finds it outgrew
/// Tier 1; the CoE sees that in the portfolio and downloads the CSV. FusionBot runs as its own process.
/// </summary>
[Collection(OneAtATime.Name)]
public sealed partial class PortfolioInPlaygroundTests : IAsyncLifetime
{
    private const string ProDevChannel = MockTeams.TeamName + " - " + MockTeams.ProDevChannelName;
    private const string ComponentName = "Team expense list";
    private const string SolutionName = "Team expense log";
    private const string ComponentLink = "https://contoso.sharepoint.com/sites/coe/components/team-expense-list";

    private FusionBotServer? _bot;
    private AgentsPlayground? _playground;
    private PlaygroundBrowser? _browser;

    private FusionBotServer Bot => _bot!;

    private AgentsPlayground Playground => _playground!;

    private PlaygroundBrowser Browser => _browser!;

    public async Task InitializeAsync()
    {
        Prerequisites.AssertInstalled();
        var artifacts = TestPaths.ArtifactsFor(nameof(PortfolioInPlaygroundTests));
        _bot = await FusionBotServer.StartAsync(new Dictionary<string, string>
        {
            ["Governance__AdminIds__0"] = MockTeams.Alex.AadObjectId,
            // The quarterly re-check, seconds after self-certification; the outbox looks for due work every second.
            ["Portfolio__ReviewInterval"] = "00:00:05",
            ["Outbox__SweepInterval"] = "00:00:01",
            ["Links__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
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
    public async Task A_welcomed_maker_self_certifies_a_Tier_1_solution_that_outgrows_it_at_its_periodic_review_and_the_CoE_exports_the_portfolio()
    {
        // 1. Alex installs the bot in his personal chat: the Playground tells the bot it was added, and he is welcomed.
        //    (Opening the Playground already installed it once; this second install must welcome him again.)
        await Browser.OpenChatAsync("Personal Chat");
        var welcomes = Browser.Page.Locator(".ac-adaptiveCard").Filter(new() { HasText = "Welcome to FusionBot" });
        await Assertions.Expect(welcomes.First).ToBeVisibleAsync();
        var welcomedBefore = await welcomes.CountAsync();
        var added = await Playground.SendEventAsync(MockTeams.PersonalChatId, "botAdded");
        Assert.Equal("conversationUpdate", added["type"]?.GetValue<string>());
        await Assertions.Expect(welcomes).ToHaveCountAsync(welcomedBefore + 1);
        var welcome = welcomes.Last;
        await Assertions.Expect(welcome).ToContainTextAsync("What the tiers mean");
        await Assertions.Expect(welcome.GetByRole(AriaRole.Button, new() { Name = "New request" })).ToBeVisibleAsync();
        await Browser.ScreenshotAsync("welcomed-on-install");

        // 2. Alex, a CoE admin, sends Tier 3 reviews to the Pro-dev Reviews channel...
        await Browser.OpenChatAsync(ProDevChannel);
        await Browser.TypeMentionAsync("FusionBot", "register tier 3");
        await Browser.TextMessageAsync("Tier 3 reviews now go to this channel");
        await Browser.ScreenshotAsync("channel-registered-tier-3");

        // ...and adds an approved component to the catalogue with the form card (Action.Submit with its inputs).
        await Browser.OpenChatAsync("Personal Chat");
        await Browser.TypeMessageAsync("component add");
        var form = await Browser.CardAsync("Add an approved component");
        await PlaygroundBrowser.FillAsync(form, "Name", ComponentName);
        await PlaygroundBrowser.FillAsync(form, "Description", "A SharePoint list and Power App for a team to log its expenses and receipts.");
        await PlaygroundBrowser.FillAsync(form, "Tags", "expenses, receipts");
        await PlaygroundBrowser.TickAsync(form, "Tier 1");
        await PlaygroundBrowser.TickAsync(form, "Tier 2");
        await PlaygroundBrowser.FillAsync(form, "Link", ComponentLink);
        await PlaygroundBrowser.FillAsync(form, "Owner", "CoE platform team");
        await Browser.ScreenshotAsync("component-form-filled");
        await PlaygroundBrowser.PressAsync(form, "Add to the catalogue");
        await Browser.TextMessageAsync($"Added {ComponentName} to the catalogue");
        await Browser.ScreenshotAsync("component-added");

        // 3. Alex, as a maker, asks for a Tier 1 solution, typing every answer: his team, a few users, no data sources.
        await Browser.TypeMessageAsync("new request");
        await Browser.CardAsync("question 1 of 9");
        string[] answers = [SolutionName, "Log our team's expenses and receipts in one place", "Power Apps", "My team", "8", "None", "Internal", "None"];
        for (var i = 0; i < answers.Length; i++)
        {
            await Browser.TypeMessageAsync(answers[i]);
            await Browser.CardAsync($"question {i + 2} of 9");
        }

        await Browser.TypeMessageAsync("2");
        var summary = await Browser.CardAsync($"Your request: {SolutionName}");
        await Assertions.Expect(summary).ToContainTextAsync("Tier 1");
        await Assertions.Expect(summary).ToContainTextAsync("Approved components you could reuse");
        await Assertions.Expect(summary).ToContainTextAsync(ComponentName);
        await Browser.ScreenshotAsync("intake-summary-suggests-component");

        // He opens the suggestion: the link goes through the bot, which records the open and sends him on to the component.
        var open = CardLink($"Open {ComponentName}");
        Assert.Equal(Bot.BaseUrl.GetLeftPart(UriPartial.Authority) + "/components/open", open.GetLeftPart(UriPartial.Path));
        using (var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) })
        using (var opened = await noRedirects.GetAsync(open))
        {
            Assert.Equal(System.Net.HttpStatusCode.Redirect, opened.StatusCode);
            Assert.Equal(new Uri(ComponentLink), opened.Headers.Location);
        }

        await Browser.TypeMessageAsync("confirm");
        var submitted = await Browser.CardAsync(SubmittedHeading());
        var requestId = SubmittedHeading().Match(await submitted.InnerTextAsync()).Groups["id"].Value;
        await Assertions.Expect(submitted).ToContainTextAsync("self-certification checklist");

        // Tier 1 needs no review: Alex ticks every point of the checklist card and certifies.
        var checklist = await Browser.CardAsync($"Self-certification: {requestId}");
        foreach (var item in SelfCertificationItems)
        {
            await PlaygroundBrowser.TickAsync(checklist, item);
        }

        await Browser.ScreenshotAsync("self-certification-ticked");
        await PlaygroundBrowser.PressAsync(checklist, "Certify");
        await Browser.TextMessageAsync($"Self-certified {requestId}");
        await Browser.ScreenshotAsync("self-certified");

        // 4. The periodic re-check arrives by itself in the personal chat, prefilled with what Alex answered at intake;
        //    his solution now has 120 users.
        var review = await Browser.CardAsync($"Periodic review{requestId} · {SolutionName} (Tier 1)");
        await Assertions.Expect(review.GetByLabel("How many people use it now?")).ToHaveValueAsync("8");
        await PlaygroundBrowser.FillAsync(review, "How many people use it now?", "120");
        await Browser.ScreenshotAsync("periodic-review-120-users");
        await PlaygroundBrowser.PressAsync(review, "Submit");
        var outgrew = await Browser.TextMessageAsync($"{requestId} is now Tier 3");
        await Assertions.Expect(outgrew).ToContainTextAsync("outgrew Tier 1");
        await Browser.ScreenshotAsync("maker-told-outgrew-tier-1");

        // The Tier 3 review card appears in the pro-dev channel, saying why.
        await Browser.OpenChatAsync(ProDevChannel);
        var reviewCard = await Browser.CardAsync($"{requestId} · {SolutionName}");
        await Assertions.Expect(reviewCard).ToContainTextAsync("outgrew Tier 1", new() { IgnoreCase = true });
        await Assertions.Expect(reviewCard).ToContainTextAsync("120 users, 50 or more");
        await Browser.ScreenshotAsync("tier-3-review-card-in-channel");

        // 5. Alex, as the CoE, looks at the portfolio...
        await Browser.OpenChatAsync("Personal Chat");
        await Browser.TypeMessageAsync("portfolio");
        var portfolio = await Browser.CardAsync("Portfolio · all requests");
        await Assertions.Expect(portfolio).ToContainTextAsync("Outgrew their tier");
        await Assertions.Expect(portfolio).ToContainTextAsync($"{requestId} · Tier 3");
        await Assertions.Expect(portfolio).ToContainTextAsync("Tier 1 → Tier 3");
        await Browser.ScreenshotAsync("portfolio-figures");

        // ...sees that a maker opened the suggested component...
        await Browser.TypeMessageAsync("components");
        var catalogue = await Browser.CardAsync("Approved components");
        await Assertions.Expect(catalogue).ToContainTextAsync("opened by 1 maker, used in 0 requests");
        await Browser.ScreenshotAsync("components-uptake");

        // ...and downloads it as CSV from the link the bot gives (served by the bot itself, on the address the Playground called).
        await Browser.TypeMessageAsync("portfolio export");
        var export = await Browser.CardAsync("Your portfolio export is ready");
        // An Action.OpenUrl renders as a link.
        await Assertions.Expect(export.GetByRole(AriaRole.Link, new() { Name = "Download CSV" })).ToBeVisibleAsync();
        await Browser.ScreenshotAsync("portfolio-export-link");
        var link = CardLink("Download CSV");
        Assert.Equal(Bot.BaseUrl.GetLeftPart(UriPartial.Authority), link.GetLeftPart(UriPartial.Authority));

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var download = await http.GetAsync(link);
        var csv = await download.Content.ReadAsStringAsync();
        Assert.True(download.IsSuccessStatusCode, $"The export link answered {(int)download.StatusCode}: {csv}");
        Assert.Equal("text/csv", download.Content.Headers.ContentType?.MediaType);
        var rows = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(',')).ToList();
        Assert.Equal(["id", "title", "tier", "status", "maker", "created", "decided", "hours_saved_per_week"], rows[0]);
        var row = Assert.Single(rows, r => r[0] == requestId);
        Assert.Equal([requestId, SolutionName, "3", "PendingReview"], row[..4]);
        Assert.Equal(MockTeams.Alex.Name, row[4]);
    }

    private static readonly string[] SelfCertificationItems =
    [
        "The data stays inside my team's own environment, lists and files.",
        "I share the solution only with my team.",
        "It stores no confidential, personal, financial or health data.",
        "I have named an owner and a backup owner who can keep it running.",
    ];

    /// <summary>The url of the button titled <paramref name="title"/> in the last card that has it, as the Playground's UI received it.</summary>
    private Uri CardLink(string title)
    {
        var message = Browser.LastStreamedMessageContaining(title);
        Assert.NotNull(message);
        var link = CardJson.FindAction(message.Message, "Action.OpenUrl", o => o["title"] is JsonValue t && t.ToString() == title, title);
        return new Uri(link["url"]!.GetValue<string>());
    }

    [GeneratedRegex(@"Submitted: (?<id>FR-\d+)")]
    private static partial Regex SubmittedHeading();
}
