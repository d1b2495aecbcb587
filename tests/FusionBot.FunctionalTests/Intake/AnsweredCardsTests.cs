using System.Text.Json.Nodes;
using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.Protocol.Models;
using FusionBot.TestKit;
using FusionBot.TestKit.Cards;

namespace FusionBot.FunctionalTests.Intake;

/// <summary>
/// The chat reads like a form filled in: each answered question card is updated in place (the connector's update
/// activity) to one line, and blocked connectors are never offered as options.
/// </summary>
public sealed class AnsweredCardsTests : IAsyncLifetime
{
    private BotHost _bot = null!;

    public async Task InitializeAsync() => _bot = await BotHost.StartAsync();

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    /// <summary>Every TextBlock text, in order.</summary>
    private static IEnumerable<string> Texts(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Key == "text" && p.Value is JsonValue v ? [v.GetValue<string>()] : Texts(p.Value)),
        JsonArray a => a.SelectMany(Texts),
        _ => [],
    };

    private static JsonObject CardOf(Activity activity) => (JsonObject)Assert.Single(activity.Attachments!).Content!;

    private static string Text(JsonObject card) => string.Join("\n", Texts(card["body"]));

    private IReadOnlyList<RecordedCall> Sent(int before) =>
        [.. _bot.Connector.Calls.Skip(before).Where(c => c.Route is ConnectorRoute.ReplyToActivity or ConnectorRoute.SendToConversation && c.Activity?.Attachments is { Count: > 0 })];

    private IReadOnlyList<RecordedCall> Updated(int before) =>
        [.. _bot.Connector.Calls.Skip(before).Where(c => c.Route == ConnectorRoute.UpdateActivity)];

    /// <summary>The id the connector gave the one card sent in answer to <paramref name="say"/>: what an update must name.</summary>
    private async Task<string> QuestionCardIdAsync(string say)
    {
        var before = _bot.Connector.Calls.Count;
        await _bot.SayAsync(say);
        var sent = Assert.Single(Sent(before));
        return sent.ResponseId!;
    }

    [Fact]
    public async Task Each_answered_question_card_becomes_one_line_with_the_answer()
    {
        var nameCard = await QuestionCardIdAsync("new request");

        var before = _bot.Connector.Calls.Count;
        await _bot.SayAsync("Expense tracker");
        var update = Assert.Single(Updated(before));
        Assert.Equal(nameCard, update.ActivityId);
        Assert.Equal("✓ **Name:** Expense tracker", Text(CardOf(update.Activity!)));

        var purposeCard = Assert.Single(Sent(before));
        before = _bot.Connector.Calls.Count;
        await _bot.SubmitAsync(new JsonObject { ["intakeStep"] = "purpose", ["intakeCommand"] = "answer", ["answer"] = "Track team expenses" });
        update = Assert.Single(Updated(before));
        Assert.Equal(purposeCard.ResponseId, update.ActivityId);
        Assert.Equal("✓ **Purpose:** Track team expenses", Text(CardOf(update.Activity!)));

        await _bot.SayAsync("Power Apps");
        before = _bot.Connector.Calls.Count;
        await _bot.SayAsync("2");
        Assert.Equal("✓ **Audience:** My department", Text(CardOf(Assert.Single(Updated(before)).Activity!)));

        await AdaptiveCardValidator.AssertValidAsync([.. _bot.Connector.Calls.Where(c => c.Activity?.Attachments is { Count: > 0 })
            .Select(c => CardOf(c.Activity!))]);
    }

    [Fact]
    public async Task A_question_left_by_back_or_cancel_or_asked_again_says_so()
    {
        await _bot.SayAsync("new request");
        await _bot.SayAsync("Expense tracker");

        var before = _bot.Connector.Calls.Count;
        await _bot.SayAsync("back");
        Assert.Equal("↩ Purpose: went back to the previous question", Text(CardOf(Assert.Single(Updated(before)).Activity!)));

        await _bot.SayAsync("Expense tracker");
        await _bot.SayAsync("Track team expenses");
        await _bot.SayAsync("Power Apps");
        await _bot.SayAsync("My department");
        before = _bot.Connector.Calls.Count;
        await _bot.SayAsync("lots");
        Assert.Equal("Users: asked again below", Text(CardOf(Assert.Single(Updated(before)).Activity!)));

        before = _bot.Connector.Calls.Count;
        await _bot.SayAsync("cancel");
        Assert.Equal("Users: request cancelled", Text(CardOf(Assert.Single(Updated(before)).Activity!)));
    }

    [Fact]
    public async Task Blocked_connectors_are_named_with_their_alternative_but_not_offered()
    {
        foreach (var answer in new[] { "new request", "Expense tracker", "Track team expenses", "Power Apps", "My department" })
        {
            await _bot.SayAsync(answer);
        }

        var card = CardOf(Assert.Single(await _bot.SayAsync("30"), a => a.Attachments is { Count: > 0 } && a.Type == ActivityTypes.Message && Text(CardOf(a)).Contains("data sources", StringComparison.Ordinal)));

        var choices = card["body"]!.AsArray().Single(e => (string?)e!["type"] == "Input.ChoiceSet")!["choices"]!.AsArray().Select(c => (string)c!["value"]!).ToList();
        Assert.Contains("sharepoint", choices);
        Assert.DoesNotContain("dropbox", choices);
        Assert.DoesNotContain("gmail", choices);
        Assert.Contains("Blocked by policy, so not offered: Dropbox (use OneDrive for Business); Gmail (use Office 365 Outlook).", Text(card));
        await AdaptiveCardValidator.AssertValidAsync(card);
    }
}
