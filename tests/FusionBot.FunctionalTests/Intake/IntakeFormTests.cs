using System.Net;
using System.Text.Json.Nodes;
using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.TestKit;
using FusionBot.TestKit.Cards;
using Microsoft.Extensions.DependencyInjection;

namespace FusionBot.FunctionalTests.Intake;

/// <summary>
/// The intake form in a Teams dialog, over HTTP: a button sends <c>task/fetch</c>, the form's submit sends
/// <c>task/submit</c> with every input, and the invoke response says what the dialog shows next.
/// </summary>
public sealed class IntakeFormTests : IAsyncLifetime
{
    private BotHost _bot = null!;

    public async Task InitializeAsync() => _bot = await BotHost.StartAsync();

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    private static JsonObject CardOf(Activity activity) => (JsonObject)Assert.Single(activity.Attachments!).Content!;

    private static IEnumerable<string> Texts(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Key == "text" && p.Value is JsonValue v ? [v.GetValue<string>()] : Texts(p.Value)),
        JsonArray a => a.SelectMany(Texts),
        _ => [],
    };

    /// <summary>The data of the card's button that opens a dialog: what Teams sends back as the fetch's <c>value.data</c>.</summary>
    private static JsonObject DialogButtonData(JsonObject card) => (JsonObject)card["actions"]!.AsArray()
        .Single(a => (string?)a!["data"]?["msteams"]?["type"] == "task/fetch")!["data"]!.DeepClone();

    /// <summary>Teams' invoke for a dialog in the maker's 1:1 chat; returns the invoke response's body.</summary>
    private async Task<JsonObject> InvokeAsync(string name, JsonObject data)
    {
        var activity = _bot.Activities.AdaptiveCardAction("placeholder");
        activity.Name = name;
        activity.Value = new JsonObject { ["data"] = data, ["context"] = new JsonObject { ["theme"] = "default" } };

        var response = await _bot.PostAsync(activity);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Assert.IsType<JsonObject>(JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }

    private static JsonObject FormOf(JsonObject response)
    {
        Assert.Equal("continue", (string)response["task"]!["type"]!);
        var value = response["task"]!["value"]!;
        Assert.Equal("New request", (string)value["title"]!);
        Assert.Equal(Attachment.AdaptiveCardContentType, (string)value["card"]!["contentType"]!);
        return value["card"]!["content"]!.AsObject();
    }

    /// <summary>What the form's submit button sends: its data and every input's value.</summary>
    private static JsonObject Filled(JsonObject form, IReadOnlyDictionary<string, string> answers)
    {
        var data = (JsonObject)Assert.Single(form["actions"]!.AsArray())!["data"]!.DeepClone();
        foreach (var (key, value) in answers)
        {
            data[key] = value;
        }

        return data;
    }

    private static Dictionary<string, string> TierThree() => new()
    {
        ["name"] = "Invoice approval",
        ["purpose"] = "Route supplier invoices to finance",
        ["platform"] = "PowerAutomate",
        ["audience"] = "SeveralDepartments",
        ["users"] = "120",
        ["dataSources"] = "sharepoint,external-api",
        ["sensitivity"] = "Confidential",
        ["customCode"] = "None",
        ["hoursSaved"] = "",
    };

    private async Task<JsonObject> OpenFormAsync()
    {
        // During a chat intake the offer is followed by the question still open, as after any command.
        var offer = Assert.Single((await _bot.SayAsync("new request form")).Where(r => r.Attachments is { Count: > 0 }).Select(CardOf),
            card => card["actions"]?.AsArray().Any(a => (string?)a!["data"]?["msteams"]?["type"] == "task/fetch") == true);
        return FormOf(await InvokeAsync("task/fetch", DialogButtonData(offer)));
    }

    [Fact]
    public async Task New_request_form_offers_a_button_whose_fetch_opens_one_valid_form_with_every_question()
    {
        var offer = CardOf(Assert.Single(await _bot.SayAsync("new request form")));

        var form = FormOf(await InvokeAsync("task/fetch", DialogButtonData(offer)));

        var ids = form["body"]!.AsArray().Select(e => (string?)e!["id"]).Where(id => id is not null).ToList();
        Assert.Equal(["name", "purpose", "platform", "audience", "users", "dataSources", "sensitivity", "customCode", "hoursSaved"], ids);
        var help = CardOf(Assert.Single(await _bot.SayAsync("help")));
        Assert.Equal(DialogButtonData(offer).ToJsonString(), DialogButtonData(help).ToJsonString());
        await AdaptiveCardValidator.AssertValidAsync([form, offer, help]);
    }

    [Fact]
    public async Task Invalid_answers_keep_the_dialog_open_with_the_answers_kept_and_what_to_change()
    {
        var form = await OpenFormAsync();
        var answers = TierThree();
        answers["users"] = "lots";
        answers["name"] = "";
        var before = _bot.Connector.Calls.Count;

        var again = FormOf(await InvokeAsync("task/submit", Filled(form, answers)));

        var text = string.Join("\n", Texts(again["body"]));
        Assert.Contains("2 answers need a change", text, StringComparison.Ordinal);
        Assert.Contains("\"lots\"", text, StringComparison.Ordinal);
        Assert.Contains("I need an answer", text, StringComparison.Ordinal);
        var users = again["body"]!.AsArray().Single(e => (string?)e!["id"] == "users")!;
        Assert.Equal("lots", (string)users["value"]!);
        Assert.Equal("sharepoint,external-api", (string)again["body"]!.AsArray().Single(e => (string?)e!["id"] == "dataSources")!["value"]!);
        Assert.Empty(_bot.Connector.Calls.Skip(before));
        Assert.Empty(await _bot.Services.GetRequiredService<IRequestStore>().ListByMakerAsync(_bot.Activities.TenantId, TeamsUser.Maker.Id, 10));
        await AdaptiveCardValidator.AssertValidAsync(again);
    }

    [Fact]
    public async Task Valid_answers_close_the_dialog_and_the_summary_in_the_chat_confirms_the_request_in_its_tier()
    {
        var form = await OpenFormAsync();
        var conversation = _bot.Activities.PersonalConversation().Id;
        var before = _bot.Connector.Calls.Count;

        var closed = await InvokeAsync("task/submit", Filled(form, TierThree()));

        Assert.Equal("message", (string)closed["task"]!["type"]!);
        Assert.Contains("confirm", (string)closed["task"]!["value"]!, StringComparison.Ordinal);
        var summary = CardOf(Assert.Single(_bot.Connector.Calls.Skip(before), c => c.ConversationId == conversation && c.Activity is not null).Activity!);
        var summaryText = string.Join("\n", Texts(summary["body"]));
        Assert.Contains("Your request: Invoice approval", summaryText, StringComparison.Ordinal);
        Assert.Contains("Tier 3", summaryText, StringComparison.Ordinal);

        var confirmed = string.Join("\n", (await _bot.SubmitAsync(new JsonObject { ["intakeStep"] = "summary", ["intakeCommand"] = "confirm" }))
            .SelectMany(r => r.Attachments ?? []).Select(a => a.Content?.ToJsonString()));
        Assert.Contains("FR-", confirmed, StringComparison.Ordinal);

        var stored = Assert.Single(await _bot.Services.GetRequiredService<IRequestStore>().ListByMakerAsync(_bot.Activities.TenantId, TeamsUser.Maker.Id, 10));
        Assert.Equal(3, stored.Tier);
        Assert.Equal("Invoice approval", stored.Title);
        Assert.Equal(120, stored.Answers.ExpectedUsers);
        Assert.Equal(["sharepoint", DataSourceKinds.ExternalApi], stored.Answers.DataSources);
        Assert.Equal(RequestStatus.PendingRouting, stored.Status);
        await AdaptiveCardValidator.AssertValidAsync([.. _bot.CardsSent()]);
    }

    [Fact]
    public async Task A_form_submitted_during_a_chat_intake_replaces_it_and_closes_its_question_card()
    {
        await _bot.SayAsync("new request");
        await _bot.SayAsync("Expense tracker");
        var form = await OpenFormAsync();
        var before = _bot.Connector.Calls.Count;

        await InvokeAsync("task/submit", Filled(form, TierThree()));

        var update = Assert.Single(_bot.Connector.Calls.Skip(before), c => c.Route == ConnectorRoute.UpdateActivity);
        Assert.Equal("✓ **Purpose:** Route supplier invoices to finance", string.Join("\n", Texts(CardOf(update.Activity!)["body"])));
        var replies = await _bot.SayAsync("confirm");
        Assert.Equal(3, Assert.Single(await _bot.Services.GetRequiredService<IRequestStore>().ListByMakerAsync(_bot.Activities.TenantId, TeamsUser.Maker.Id, 10)).Tier);
        Assert.NotEmpty(replies);
    }
}
