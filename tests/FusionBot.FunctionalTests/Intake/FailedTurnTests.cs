using System.Net;
using FusionBot.Features.Intake;
using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.TestKit;
using Microsoft.Extensions.DependencyInjection;

namespace FusionBot.FunctionalTests.Intake;

/// <summary>
/// A turn whose reply fails answers 500 and Teams delivers the same activity again: that delivery finishes what the
/// failed turn started, and nothing is done twice. The connector fails for real (503 past the client's retries, 403).
/// </summary>
public sealed class FailedTurnTests : IAsyncLifetime
{
    private static readonly string[] ToSummary =
        ["new request", "Expense tracker", "Track team expenses", "Power Apps", "My department", "30", "SharePoint", "Internal", "None", "skip"];

    private BotHost _bot = null!;

    public async Task InitializeAsync() => _bot = await BotHost.StartAsync(settings: new Dictionary<string, string?>
    {
        // Four attempts, quickly: the connector client's own retries run out in milliseconds.
        ["BotFramework:Connector:BaseDelay"] = "00:00:00.010",
    });

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task A_dialog_answer_whose_reply_failed_shows_the_next_question_when_delivered_again()
    {
        await _bot.SayAsync("new request");
        var name = _bot.Activities.PersonalMessage("Expense tracker");
        _bot.Connector.FailNext(ConnectorRoute.ReplyToActivity, 4, HttpStatusCode.ServiceUnavailable);

        Assert.Equal(HttpStatusCode.InternalServerError, (await _bot.PostAsync(name)).StatusCode);
        var replies = await _bot.TurnAsync(name);

        // The next question, asked once (beside it the answered card may fold into one line).
        Assert.Single(replies, r => r.Summary?.StartsWith("What should it do", StringComparison.Ordinal) == true);
        var dialog = await DialogAsync();
        Assert.Equal("Expense tracker", dialog!.Answers.SolutionName);
        // The redelivered name was not taken as the answer to the next question.
        Assert.Null(dialog.Answers.Purpose);
        Assert.Contains("Submitted: FR-", Texts(await SayAllAsync([.. ToSummary[2..], "confirm"])));
    }

    [Fact]
    public async Task A_confirm_whose_submitted_card_was_refused_routes_the_request_when_delivered_again_and_never_makes_a_second()
    {
        await SayAllAsync(ToSummary);
        var confirm = _bot.Activities.PersonalMessage("confirm");
        _bot.Connector.FailNext(ConnectorRoute.ReplyToActivity, 1, HttpStatusCode.Forbidden, errorCode: "BotNotInConversationRoster");

        Assert.Equal(HttpStatusCode.InternalServerError, (await _bot.PostAsync(confirm)).StatusCode);
        var stored = Assert.Single(await RequestsAsync());
        // Routed before the maker was told: no review channel here, so it waits for one rather than staying Submitted.
        Assert.Equal(RequestStatus.PendingRouting, stored.Status);

        Assert.Contains($"Submitted: {stored.Id}", Texts(await _bot.TurnAsync(confirm)));
        Assert.Equal(stored.Id, Assert.Single(await RequestsAsync()).Id);
        Assert.Null(await DialogAsync());
        // Delivered a third time, once the turn succeeded: dropped.
        Assert.Empty(await _bot.TurnAsync(confirm));
        Assert.Single(await RequestsAsync());
    }

    [Fact]
    public async Task Typing_confirm_again_after_an_outage_finds_the_request_already_made()
    {
        await SayAllAsync(ToSummary);
        _bot.Connector.FailNext(ConnectorRoute.ReplyToActivity, 4, HttpStatusCode.ServiceUnavailable);

        Assert.Equal(HttpStatusCode.InternalServerError, (await _bot.PostAsync(_bot.Activities.PersonalMessage("confirm"))).StatusCode);
        var first = Assert.Single(await RequestsAsync());

        var again = Texts(await _bot.SayAsync("confirm"));

        Assert.Contains($"Submitted: {first.Id}", again);
        var only = Assert.Single(await RequestsAsync());
        Assert.Equal(RequestStatus.PendingRouting, only.Status);
        Assert.Single(await _bot.Services.GetRequiredService<IRequestHistoryStore>().ListAsync(only.Id), e => e.Action == RequestActions.Submitted);
    }

    // Dialog state is kept per tenant and conversation.
    private string DialogKey => $"{_bot.Activities.TenantId}|{_bot.Activities.PersonalConversation().Id}";

    private async Task<IntakeState?> DialogAsync() =>
        (await _bot.Services.GetRequiredService<IDialogStateStore>().GetAsync<IntakeState>(DialogKey))?.Value;

    private async Task<IReadOnlyList<GovernanceRequest>> RequestsAsync() =>
        await _bot.Services.GetRequiredService<IRequestStore>().ListByMakerAsync(_bot.Activities.TenantId, TeamsUser.Maker.Id, 10);

    private async Task<IReadOnlyList<Activity>> SayAllAsync(params string[] texts)
    {
        IReadOnlyList<Activity> last = [];
        foreach (var text in texts)
        {
            last = await _bot.SayAsync(text);
        }

        return last;
    }

    private static string Texts(IEnumerable<Activity> replies) =>
        string.Join("\n", replies.Select(r => r.Text + " " + string.Join(" ", (r.Attachments ?? []).Select(a => a.Content?.ToJsonString()))));
}
