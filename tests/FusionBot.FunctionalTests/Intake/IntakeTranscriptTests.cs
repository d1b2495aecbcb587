using System.Text.Json.Nodes;
using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.TestKit;
using FusionBot.TestKit.Cards;
using Microsoft.Extensions.DependencyInjection;

namespace FusionBot.FunctionalTests.Intake;

/// <summary>The maker's conversation end to end: HTTP into /api/messages with auth on, replies at the recording connector.</summary>
public sealed class IntakeTranscriptTests : IAsyncLifetime
{
    private BotHost _bot = null!;

    public async Task InitializeAsync() => _bot = await BotHost.StartAsync();

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    private static string Texts(IEnumerable<Activity> replies) =>
        string.Join("\n", replies.Select(r => r.Text + " " + string.Join(" ", (r.Attachments ?? []).Select(a => a.Content?.ToJsonString()))));

    private async Task<IReadOnlyList<Activity>> AnswerAsync(TeamsUser? user, params string[] texts)
    {
        IReadOnlyList<Activity> last = [];
        foreach (var text in texts)
        {
            last = await _bot.SayAsync(text, user);
            Assert.NotEmpty(last);
        }

        return last;
    }

    private async Task<IReadOnlyList<GovernanceRequest>> RequestsOfAsync(TeamsUser user) =>
        await _bot.Services.GetRequiredService<IRequestStore>()
            .ListByMakerAsync(_bot.Activities.TenantId, user.Id, 10);

    [Theory]
    [InlineData(1, "My team", "8", "none", "Internal", "None")]
    [InlineData(2, "My department", "30", "SharePoint", "Internal", "None")]
    [InlineData(3, "Several departments", "120", "an external API", "Confidential", "None")]
    [InlineData(4, "whole organisation", "5000", "SAP", "Regulated", "Substantial")]
    public async Task Typed_answers_reach_the_expected_tier_and_store_the_request(
        int tier, string audience, string users, string sources, string sensitivity, string customCode)
    {
        await AnswerAsync(null, "new request", "Expense tracker", "Track team expenses", "Power Apps", audience, users, sources, sensitivity, customCode, "skip");

        var summary = Texts(await _bot.SayAsync("confirm"));
        Assert.Contains("Submitted: FR-", summary);
        Assert.Contains($"Tier {tier}", summary);

        var stored = Assert.Single(await RequestsOfAsync(TeamsUser.Maker));
        Assert.Equal(tier, stored.Tier);
        // No review channel is registered here: Tier 2–4 wait for one (see Review/ReviewWorkflowTests).
        Assert.Equal(tier == 1 ? RequestStatus.Submitted : RequestStatus.PendingRouting, stored.Status);
        Assert.Equal("Expense tracker", stored.Title);
        Assert.NotEmpty(stored.Reasons);
        Assert.Equal(TeamsUser.Maker.AadObjectId, stored.Maker.AadObjectId);

        await AdaptiveCardValidator.AssertValidAsync([.. _bot.CardsSent()]);
    }

    [Fact]
    public async Task Button_answers_walk_the_dialog_like_typed_ones()
    {
        await _bot.SayAsync("new request");
        static JsonObject Next(string step, string answer) => new() { ["intakeStep"] = step, ["intakeCommand"] = "answer", ["answer"] = answer };

        await _bot.SubmitAsync(Next("name", "Leave planner"));
        await _bot.SubmitAsync(Next("purpose", "Plan team leave"));
        await _bot.SubmitAsync(Next("platform", "PowerApps"));
        await _bot.SubmitAsync(Next("audience", "MyTeam"));
        await _bot.SubmitAsync(Next("users", "6"));
        await _bot.SubmitAsync(Next("dataSources", "none"));
        await _bot.SubmitAsync(Next("sensitivity", "Internal"));
        await _bot.SubmitAsync(Next("customCode", "None"));
        var summary = Texts(await _bot.SubmitAsync(Next("hoursSaved", "4")));
        Assert.Contains("Tier 1", summary);

        var submitted = Texts(await _bot.SubmitAsync(new JsonObject { ["intakeStep"] = "summary", ["intakeCommand"] = "confirm" }));
        Assert.Contains("Self-certification", submitted);

        var request = Assert.Single(await RequestsOfAsync(TeamsUser.Maker));
        var certify = new JsonObject { ["selfCertify"] = request.Id, ["dataInTeam"] = "true", ["sharedWithTeam"] = "true", ["noSensitiveData"] = "true", ["ownersNamed"] = "true" };
        Assert.Contains("Self-certified", Texts(await _bot.SubmitAsync(certify)));
        var certified = Assert.Single(await RequestsOfAsync(TeamsUser.Maker));
        Assert.Equal(RequestStatus.SelfCertified, certified.Status);
        Assert.Equal(4, certified.Answers.HoursSavedPerWeek);

        await AdaptiveCardValidator.AssertValidAsync([.. _bot.CardsSent()]);
    }

    [Fact]
    public async Task The_dialog_continues_at_the_same_question_after_a_restart()
    {
        await AnswerAsync(null, "new request", "Expense tracker", "Track team expenses", "Power Apps");

        await _bot.RestartAsync();

        var replies = Texts(await _bot.SayAsync("My department"));
        Assert.Contains("question 5 of 9", replies);
        Assert.Contains("About how many people", replies);
    }

    [Fact]
    public async Task A_redelivered_activity_gets_one_reply()
    {
        var activity = _bot.Activities.PersonalMessage("help");

        var first = await _bot.TurnAsync(activity);
        var again = await _bot.TurnAsync(activity);

        Assert.Single(first);
        Assert.Empty(again);
    }

    [Fact]
    public async Task Bad_answers_are_asked_again_with_the_reason_and_nothing_is_lost()
    {
        await AnswerAsync(null, "new request", "Expense tracker", "Track team expenses");

        Assert.Contains("not one of the options", Texts(await _bot.SayAsync("Excel macros")));
        await _bot.SayAsync("2");
        await _bot.SayAsync("My team");
        Assert.Contains("not a number", Texts(await _bot.SayAsync("lots of people")));
        Assert.Contains("between 1 and", Texts(await _bot.SayAsync("0")));
        await _bot.SayAsync("12");
        var blocked = Texts(await _bot.SayAsync("Dropbox"));
        Assert.Contains("blocked", blocked);
        Assert.Contains("OneDrive for Business", blocked);
        await _bot.SayAsync("none");
        await _bot.SayAsync("Internal");
        await _bot.SayAsync("None");
        Assert.Contains("not a number of hours", Texts(await _bot.SayAsync("loads")));
        var summary = Texts(await _bot.SayAsync("3"));

        Assert.Contains("Expense tracker", summary);
        Assert.Contains("Power Automate", summary);
        Assert.Contains("Tier 1", summary);
    }

    [Fact]
    public async Task Cancel_abandons_the_dialog_and_nothing_is_stored()
    {
        await AnswerAsync(null, "new request", "Expense tracker");

        Assert.Contains("Cancelled", Texts(await _bot.SayAsync("cancel")));
        Assert.Contains("I didn't catch that", Texts(await _bot.SayAsync("Track team expenses")));
        Assert.Empty(await RequestsOfAsync(TeamsUser.Maker));
    }

    [Fact]
    public async Task Two_makers_at_once_keep_their_own_dialogs()
    {
        var other = new TeamsUser("29:maker-2", "Omar Other", "c3333333-3333-3333-3333-333333333333");
        await Task.WhenAll(
            AnswerAsync(null, "new request", "Alpha", "First", "Power Apps", "My team", "5", "none", "Public", "None", "skip", "confirm"),
            AnswerAsync(other, "new request", "Beta", "Second", "Power Automate", "Several departments", "80", "sharepoint", "Internal", "None", "skip", "confirm"));

        var mine = Assert.Single(await RequestsOfAsync(TeamsUser.Maker));
        var theirs = Assert.Single(await RequestsOfAsync(other));
        Assert.Equal(("Alpha", 1), (mine.Title, mine.Tier));
        Assert.Equal(("Beta", 3), (theirs.Title, theirs.Tier));
        Assert.NotEqual(mine.Id, theirs.Id);
    }

    [Fact]
    public async Task My_requests_status_and_withdraw_work_after_a_restart()
    {
        await AnswerAsync(null, "new request", "Expense tracker", "Track team expenses", "Power Apps", "My department", "30", "SharePoint", "Internal", "None", "skip", "confirm");
        var id = Assert.Single(await RequestsOfAsync(TeamsUser.Maker)).Id;

        await _bot.RestartAsync();

        Assert.Contains(id, Texts(await _bot.SayAsync("my requests")));
        var status = Texts(await _bot.SayAsync($"status {id.ToLowerInvariant()}"));
        Assert.Contains("Waiting for a review channel", status);
        Assert.Contains("Submitted by Mia Maker", status);
        Assert.Contains("Withdrawn", Texts(await _bot.SayAsync($"withdraw {id}")));
        Assert.Equal(RequestStatus.Withdrawn, Assert.Single(await RequestsOfAsync(TeamsUser.Maker)).Status);
        Assert.Contains("can't find", Texts(await _bot.SayAsync($"status {id}", new TeamsUser("29:x", "X", "d4444444-4444-4444-4444-444444444444"))));
    }

    [Fact]
    public async Task Counts_are_read_as_typed_a_decimal_is_asked_again_and_a_range_counts_its_upper_end()
    {
        await AnswerAsync(null, "new request", "Expense tracker", "Track team expenses", "Power Apps", "My team");

        var decimalCount = Texts(await _bot.SayAsync("49.5"));
        Assert.Contains("not a whole number of people. Please answer 49 or 50.", decimalCount);
        Assert.Contains("About how many people", decimalCount);
        await AnswerAsync(null, "about 40-45", "none", "Internal", "None");

        var summary = Texts(await _bot.SayAsync("skip"));
        Assert.Contains("Tier 1", summary);
        Assert.Contains("\"45\"", summary);
        await _bot.SayAsync("confirm");
        Assert.Equal(45, Assert.Single(await RequestsOfAsync(TeamsUser.Maker)).Answers.ExpectedUsers);
    }

    [Fact]
    public async Task An_option_with_commas_is_typed_none_with_a_connector_is_refused_and_a_blocked_connectors_alternative_is_picked()
    {
        await AnswerAsync(null, "new request", "Expense tracker", "Track team expenses", "Power Apps", "My department", "30");

        Assert.Contains("cannot go with other answers", Texts(await _bot.SayAsync("SharePoint, none")));
        var blocked = Texts(await _bot.SayAsync("Dropbox, An enterprise system (SAP, Dynamics 365, ServiceNow…)"));
        Assert.Contains("Dropbox is blocked by policy", blocked);
        Assert.Contains("Pick OneDrive for Business (option", blocked);
        Assert.Contains("How sensitive", Texts(await _bot.SayAsync("OneDrive for Business, An enterprise system (SAP, Dynamics 365, ServiceNow…)")));
        await AnswerAsync(null, "Internal", "None", "skip", "confirm");

        var stored = Assert.Single(await RequestsOfAsync(TeamsUser.Maker));
        Assert.Equal(["onedrive", DataSourceKinds.EnterpriseSystem], stored.Answers.DataSources);
        Assert.Equal(4, stored.Tier);
    }

    [Theory]
    [InlineData("edit audience", "Who will use it?", "Several departments", "Tier 3")]
    [InlineData("edit data sources", "Which data sources", "an external API", "Tier 3")]
    [InlineData("edit Custom code", "custom code", "Substantial", "Tier 4")]
    public async Task Edit_with_a_question_title_from_the_summary_changes_that_answer(string edit, string question, string answer, string tier)
    {
        await AnswerAsync(null, "new request", "Expense tracker", "Track team expenses", "Power Apps", "My team", "8", "none", "Internal", "None", "skip");

        Assert.Contains(question, Texts(await _bot.SayAsync(edit)));
        var summary = Texts(await _bot.SayAsync(answer));

        Assert.Contains(tier, summary);
        Assert.Contains("Confirm", summary);
    }

    [Fact]
    public async Task A_description_given_with_new_request_is_the_suggested_purpose_and_is_kept_on_the_request()
    {
        await _bot.SayAsync("new request: Track what my team spends on travel");
        var purpose = Texts(await _bot.SayAsync("Expense tracker"));
        Assert.Contains("Track what my team spends on travel", purpose);

        await AnswerAsync(null, "Travel spend per person", "Power Apps", "My team", "8", "none", "Internal", "None", "skip", "confirm");

        var stored = Assert.Single(await RequestsOfAsync(TeamsUser.Maker));
        Assert.Equal("Travel spend per person", stored.Answers.Purpose);
        Assert.Equal("Track what my team spends on travel", stored.Answers.Description);
    }
}
