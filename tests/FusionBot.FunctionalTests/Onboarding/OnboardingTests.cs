using System.Text.Json.Nodes;
using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.TestKit;
using FusionBot.TestKit.Cards;
using Microsoft.Extensions.DependencyInjection;

namespace FusionBot.FunctionalTests.Onboarding;

/// <summary>Installing the bot, and the optional guidelines confirmation before a first reviewed request.</summary>
public sealed class OnboardingTests : IAsyncLifetime
{
    private const string Guidelines = "https://coe.example/guidelines";
    private const string Training = "https://coe.example/training";

    private BotHost? _bot;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_bot is not null)
        {
            await _bot.DisposeAsync();
        }
    }

    private async Task<BotHost> StartAsync(bool requireAcknowledgement) => _bot = await BotHost.StartAsync(settings: new Dictionary<string, string?>
    {
        ["Onboarding:TrainingUrl"] = Training,
        ["Onboarding:GuidelinesUrl"] = Guidelines,
        ["Onboarding:RequireAcknowledgement"] = requireAcknowledgement ? "true" : "false",
    });

    private static string Texts(IEnumerable<Activity> replies) =>
        string.Join("\n", replies.Select(r => r.Text + " " + string.Join(" ", (r.Attachments ?? []).Select(a => a.Content?.ToJsonString()))));

    private static async Task AnswerTier2Async(BotHost bot, string name)
    {
        foreach (var text in new[] { "new request", name, "Track department spend", "Power Apps", "My department", "30", "SharePoint", "Internal", "None", "skip" })
        {
            await bot.SayAsync(text);
        }
    }

    private static async Task<IReadOnlyList<GovernanceRequest>> RequestsAsync(BotHost bot) =>
        await bot.Services.GetRequiredService<IRequestStore>().ListByMakerAsync(bot.Activities.TenantId, TeamsUser.Maker.Id, 10);

    [Fact]
    public async Task Installing_for_a_user_sends_exactly_one_welcome_card_with_the_configured_links()
    {
        var bot = await StartAsync(requireAcknowledgement: false);

        var fromInstall = await bot.TurnAsync(bot.Activities.InstallationUpdate());
        var fromMembersAdded = await bot.TurnAsync(bot.Activities.BotAddedToPersonalChat());

        Assert.Empty(fromInstall);
        var welcome = Assert.Single(fromMembersAdded);
        Assert.Equal("Welcome to FusionBot", welcome.Summary);
        var json = Texts([welcome]);
        Assert.Contains($"\"url\":\"{Training}\"", json, StringComparison.Ordinal);
        Assert.Contains($"\"url\":\"{Guidelines}\"", json, StringComparison.Ordinal);
        Assert.Contains("\"value\":\"new request\"", json, StringComparison.Ordinal);
        await AdaptiveCardValidator.AssertValidAsync([.. bot.CardsSent()]);
    }

    [Fact]
    public async Task A_redelivered_install_welcomes_once_and_a_later_reinstall_welcomes_again()
    {
        var bot = await StartAsync(requireAcknowledgement: false);
        var install = bot.Activities.BotAddedToPersonalChat();

        var first = await bot.TurnAsync(install);
        var redelivered = await bot.TurnAsync(install);
        var reinstalled = await bot.TurnAsync(bot.Activities.BotAddedToPersonalChat());

        Assert.Single(first);
        Assert.Empty(redelivered);
        Assert.Equal("Welcome to FusionBot", Assert.Single(reinstalled).Summary);
    }

    [Fact]
    public async Task Installing_into_a_team_sends_one_short_card_to_the_channel()
    {
        var bot = await StartAsync(requireAcknowledgement: false);

        await bot.TurnAsync(bot.Activities.InstallationUpdate(teamId: TeamsActivityBuilder.DefaultTeamId));
        await bot.TurnAsync(bot.Activities.BotAddedToTeam());

        var call = Assert.Single(bot.Connector.Calls);
        Assert.Equal(TeamsActivityBuilder.DefaultTeamId, call.ConversationId);
        Assert.Equal("FusionBot is in this team", call.Activity!.Summary);
        Assert.Contains("register tier 2|3|4", Texts([call.Activity]), StringComparison.Ordinal);
        await AdaptiveCardValidator.AssertValidAsync([.. bot.CardsSent()]);
    }

    [Fact]
    public async Task With_the_gate_on_a_first_tier_2_request_waits_for_the_guidelines_then_goes_on_by_itself()
    {
        var bot = await StartAsync(requireAcknowledgement: true);
        await AnswerTier2Async(bot, "Spend tracker");

        var held = await bot.SayAsync("confirm");

        var card = Assert.Single(held);
        Assert.Equal("Please read the guidelines first", card.Summary);
        Assert.Contains($"\"url\":\"{Guidelines}\"", Texts(held), StringComparison.Ordinal);
        Assert.Empty(await RequestsAsync(bot));

        var before = DateTimeOffset.UtcNow;
        var submitted = await bot.SubmitAsync(new JsonObject { ["guidelinesAcknowledged"] = true });

        Assert.Contains("Submitted: FR-", Texts(submitted), StringComparison.Ordinal);
        Assert.Equal("Spend tracker", Assert.Single(await RequestsAsync(bot)).Title);
        var acknowledged = await bot.Services.GetRequiredService<IGuidelineAcknowledgementStore>().GetAsync(bot.Activities.TenantId, TeamsUser.Maker.Id);
        Assert.NotNull(acknowledged);
        Assert.InRange(acknowledged.At, before.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(TeamsUser.Maker.AadObjectId, acknowledged.User.AadObjectId);

        // Once is enough: the next reviewed request is submitted straight away.
        await AnswerTier2Async(bot, "Second tracker");
        Assert.Contains("Submitted: FR-", Texts(await bot.SayAsync("confirm")), StringComparison.Ordinal);
        Assert.Equal(2, (await RequestsAsync(bot)).Count);
        await AdaptiveCardValidator.AssertValidAsync([.. bot.CardsSent()]);
    }

    [Fact]
    public async Task With_the_gate_on_tier_1_requests_are_not_held()
    {
        var bot = await StartAsync(requireAcknowledgement: true);
        foreach (var text in new[] { "new request", "Leave planner", "Plan team leave", "Power Apps", "My team", "6", "none", "Internal", "None", "skip" })
        {
            await bot.SayAsync(text);
        }

        Assert.Contains("Submitted: FR-", Texts(await bot.SayAsync("confirm")), StringComparison.Ordinal);
        Assert.Single(await RequestsAsync(bot));
    }

    [Fact]
    public async Task With_the_gate_off_a_tier_2_request_is_submitted_at_once()
    {
        var bot = await StartAsync(requireAcknowledgement: false);
        await AnswerTier2Async(bot, "Spend tracker");

        var replies = Texts(await bot.SayAsync("confirm"));

        Assert.Contains("Submitted: FR-", replies, StringComparison.Ordinal);
        Assert.DoesNotContain("I have read the guidelines", replies, StringComparison.Ordinal);
        Assert.Single(await RequestsAsync(bot));
    }
}
