using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.Protocol;
using FusionBot.Protocol.Models;
using FusionBot.TestKit;

namespace FusionBot.FunctionalTests.Hosting;

/// <summary>
/// What a buggy client, an old card or anyone holding a valid token may send: every shape is answered through
/// HTTP with something the sender can show, never a 500 (which would also make Teams retry it).
/// </summary>
public sealed class MalformedInputTests : IAsyncLifetime
{
    private BotHost _bot = null!;

    public async Task InitializeAsync() => _bot = await BotHost.StartAsync();

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    public static TheoryData<string> UnreadableCardActionValues => new()
    {
        "\"approve\"",
        "42",
        "[1,2]",
        "null",
        "{}",
        "{\"action\":\"review.approve\"}",
        "{\"action\":{\"type\":\"Action.Execute\"}}",
        "{\"action\":{\"type\":\"Action.Execute\",\"verb\":7}}",
        "{\"action\":{\"type\":\"Action.Execute\",\"verb\":\"\"}}",
        "{\"action\":{\"type\":\"Action.Execute\",\"verb\":\"review.approve\",\"data\":[\"FR-000001\"]}}",
        "{\"action\":{\"type\":\"Action.Execute\",\"verb\":\"review.approve\",\"data\":\"FR-000001\"}}",
    };

    [Theory]
    [MemberData(nameof(UnreadableCardActionValues))]
    public async Task A_card_action_whose_value_cannot_be_read_gets_200_with_an_adaptive_card_error(string value)
    {
        var body = await InvokeAsync(InvokeNames.AdaptiveCardAction, value);

        Assert.Equal(400, body["statusCode"]!.GetValue<int>());
        Assert.Equal(AdaptiveCardInvokeResponse.ErrorType, body["type"]!.GetValue<string>());
        Assert.Equal("BadRequest", body["value"]!["code"]!.GetValue<string>());
        Assert.Contains("verb", body["value"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("weather.today")]
    [InlineData("intake.answer")]
    public async Task A_card_action_with_a_verb_the_bot_does_not_know_gets_200_with_an_adaptive_card_error(string verb)
    {
        var body = await InvokeAsync(InvokeNames.AdaptiveCardAction, $"{{\"action\":{{\"type\":\"Action.Execute\",\"verb\":\"{verb}\",\"data\":{{}}}}}}");

        Assert.Equal(400, body["statusCode"]!.GetValue<int>());
        Assert.Equal(AdaptiveCardInvokeResponse.ErrorType, body["type"]!.GetValue<string>());
        Assert.Equal("UnknownAction", body["value"]!["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"requestId\":\"FR-999999\"}")]
    [InlineData("{\"requestId\":12,\"comment\":[\"x\"],\"newTier\":{\"a\":1}}")]
    [InlineData("{}")]
    public async Task A_review_verb_with_data_of_the_wrong_shape_gets_an_answer_the_card_can_show(string data)
    {
        var body = await InvokeAsync(InvokeNames.AdaptiveCardAction, $"{{\"action\":{{\"type\":\"Action.Execute\",\"verb\":\"review.approve\",\"data\":{data}}}}}");

        Assert.True(body["statusCode"]!.GetValue<int>() is >= 200 and < 500, body.ToJsonString());
        Assert.NotNull(body["type"]);
    }

    [Theory]
    [InlineData("task/fetch")]
    [InlineData("task/submit")]
    public async Task A_dialog_invoke_is_answered_with_a_message_for_the_dialog(string name)
    {
        var body = await InvokeAsync(name, "{\"data\":{\"open\":\"x\"}}");

        Assert.Equal("message", body["task"]!["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(body["task"]!["value"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("composeExtension/query")]
    [InlineData("actionableMessage/executeAction")]
    [InlineData("")]
    public async Task Any_other_invoke_is_answered_501_not_implemented(string name)
    {
        var response = await PostInvokeAsync(name, "\"x\"");

        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
        Assert.Empty(_bot.Connector.Calls);
    }

    [Theory]
    [InlineData("\"yes\"")]
    [InlineData("[\"1\",\"3\"]")]
    [InlineData("17")]
    [InlineData("{\"unknownButton\":true}")]
    public async Task A_button_message_with_an_unreadable_value_is_told_so_in_the_1_to_1_chat(string value)
    {
        var activity = _bot.Activities.PersonalMessage("");
        activity.Text = null;
        activity.Value = JsonNode.Parse(value);

        var replies = await _bot.TurnAsync(activity);

        Assert.Contains(replies, r => r.Text?.Contains("could not read what that card sent", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task An_unreadable_button_during_intake_says_so_and_asks_the_current_question_again()
    {
        await _bot.SayAsync("new request");
        var activity = _bot.Activities.PersonalMessage("");
        activity.Text = null;
        activity.Value = JsonNode.Parse("[\"Expense tracker\"]");

        var replies = await _bot.TurnAsync(activity);

        Assert.Contains(replies, r => r.Text?.Contains("could not read what that card sent", StringComparison.Ordinal) == true);
        Assert.Contains(replies, r => r.Summary == "What is the name of your solution?");
    }

    [Theory]
    [InlineData("{\"selfCertify\":42}")]
    [InlineData("{\"selfCertify\":{\"id\":\"FR-000001\"},\"dataStaysInTeam\":true}")]
    [InlineData("{\"intakeStep\":5,\"answer\":[\"x\"]}")]
    [InlineData("{\"verb\":17}")]
    public async Task Known_button_keys_with_values_of_the_wrong_type_get_a_message_not_an_exception(string value)
    {
        var activity = _bot.Activities.PersonalMessage("");
        activity.Text = null;
        activity.Value = JsonNode.Parse(value);

        var replies = await _bot.TurnAsync(activity);

        Assert.NotEmpty(replies);
    }

    [Fact]
    public async Task A_channel_button_message_with_an_unreadable_value_is_told_so()
    {
        var activity = _bot.Activities.ChannelMessageMentioningBot("");
        activity.Text = null;
        activity.Entities = null;
        activity.Value = JsonNode.Parse("{\"verb\":[\"review.approve\"]}");

        var replies = await _bot.TurnAsync(activity);

        Assert.Contains(replies, r => r.Text?.Contains("could not read what that card sent", StringComparison.Ordinal) == true);
    }

    private async Task<HttpResponseMessage> PostInvokeAsync(string name, string value)
    {
        var activity = _bot.Activities.AdaptiveCardAction("placeholder");
        activity.Name = name;
        activity.Value = null;
        var json = JsonSerializer.SerializeToNode(activity, ProtocolJson.Options)!.AsObject();
        json["value"] = JsonNode.Parse(value);
        using var client = _bot.CreateClient();
        return await client.PostRawActivityAsync(json.ToJsonString(), _bot.Identity.CreateInboundToken(activity.ServiceUrl!));
    }

    private async Task<JsonObject> InvokeAsync(string name, string value)
    {
        var response = await PostInvokeAsync(name, value);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Assert.IsType<JsonObject>(JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }
}
