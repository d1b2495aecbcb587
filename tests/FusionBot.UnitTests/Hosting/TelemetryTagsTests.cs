using System.Text.Json.Nodes;
using FusionBot.Hosting;
using FusionBot.Protocol.Models;

namespace FusionBot.UnitTests.Hosting;

/// <summary>What telemetry may say about a turn and a URL: fixed words, never ids or text.</summary>
public sealed class TelemetryTagsTests
{
    [Theory]
    [InlineData("https://smba.trafficmanager.net/amer/v3/conversations/a:1x2y3z/activities/1600000000001",
        "https://smba.trafficmanager.net/amer/v3/conversations/{id}/activities/{id}")]
    [InlineData("https://graph.microsoft.com/v1.0/users/c3d4e5f6-7777-4888-9999-0a1b2c3d4e5f/checkMemberGroups",
        "https://graph.microsoft.com/v1.0/users/{id}/checkMemberGroups")]
    [InlineData("http://127.0.0.1:10002/devstoreaccount1/tabc123requests(PartitionKey='t1',RowKey='FR-000001')?$select=Data0",
        "http://127.0.0.1:10002/{id}/{id}")]
    [InlineData("https://bot.example/components/open?c=cmp-1&u=29%3Auser&sig=abc", "https://bot.example/components/open")]
    public void Urls_keep_their_route_words_and_lose_ids_keys_and_queries(string url, string expected) =>
        Assert.Equal(expected, TelemetryRedaction.RedactUrl(url));

    [Theory]
    [InlineData("new request", "newrequest")]
    [InlineData("status FR-000123", "status")]
    [InlineData("I want an app for the whole finance team that reads SAP", "text")]
    public void A_typed_message_is_named_by_its_command_not_its_text(string text, string expected) =>
        Assert.Equal(expected, TelemetryBot.CommandOf(new Activity { Type = ActivityTypes.Message, Text = text }));

    [Theory]
    [InlineData("review.approve", "review.approve")]
    [InlineData("Mia Maker's secret plan", "other")]
    [InlineData("29:user-id", "other")]
    public void A_card_action_is_named_by_its_verb_when_it_is_a_plain_word(string verb, string expected)
    {
        var invoke = new Activity
        {
            Type = ActivityTypes.Invoke,
            Name = InvokeNames.AdaptiveCardAction,
            Value = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb } },
        };

        Assert.Equal(expected, TelemetryBot.CommandOf(invoke));
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("42")]
    [InlineData("{\"action\":\"review.approve\"}")]
    public void A_card_action_of_any_other_shape_is_named_none_without_failing_the_turn(string value)
    {
        var invoke = new Activity { Type = ActivityTypes.Invoke, Name = InvokeNames.AdaptiveCardAction, Value = JsonNode.Parse(value) };

        Assert.Equal("none", TelemetryBot.CommandOf(invoke));
    }
}
