using System.Text.Json;
using System.Text.Json.Nodes;
using FusionBot.Protocol.Hosting;
using FusionBot.Protocol.Models;

namespace FusionBot.Protocol.Tests.Models;

public class FixtureReadingTests
{
    [Fact]
    public void All_35_published_fixtures_are_present()
    {
        Assert.Equal(35, TeamsFixtures.All.Count());
    }

    [Theory]
    [MemberData(nameof(TeamsFixtures.Activities), MemberType = typeof(TeamsFixtures))]
    public void Every_activity_fixture_reads_as_an_activity(string name)
    {
        var original = TeamsFixtures.ReadNode(name);

        var activity = TeamsFixtures.Deserialize<Activity>(name);

        Assert.Equal(original["type"]?.GetValue<string>(), activity.Type);
        Assert.Equal(original["id"]?.GetValue<string>(), activity.Id);
        Assert.Equal(original["conversation"]?["id"]?.GetValue<string>(), activity.Conversation?.Id);
        Assert.Equal(original["from"]?["id"]?.GetValue<string>(), activity.From?.Id);
        Assert.Equal(original["attachments"]?.AsArray().Count, activity.Attachments?.Count);
        Assert.Equal(original["entities"]?.AsArray().Count, activity.Entities?.Count);
        if (activity.ChannelData is not null)
        {
            Assert.Null(Record.Exception(activity.GetTeamsChannelData));
        }
    }

    [Theory]
    [MemberData(nameof(TeamsFixtures.Activities), MemberType = typeof(TeamsFixtures))]
    public void Every_activity_fixture_survives_a_round_trip_with_unknown_properties(string name)
    {
        var original = TeamsFixtures.ReadNode(name);

        var written = JsonSerializer.SerializeToNode(TeamsFixtures.Deserialize<Activity>(name), ProtocolJson.Options)!.AsObject();

        // Timestamps may be rewritten in another (equal) form, and named properties that are null are not written.
        foreach (var key in new[] { "timestamp", "localTimestamp" })
        {
            Assert.Equal(ReadTime(original[key]), ReadTime(written[key]));
            original.Remove(key);
            written.Remove(key);
        }

        RemoveNulls(original);
        RemoveNulls(written);
        Assert.True(JsonNode.DeepEquals(original, written), $"{name} changed:\n{original}\n---\n{written}");
    }

    [Theory]
    [MemberData(nameof(TeamsFixtures.InvokeResponses), MemberType = typeof(TeamsFixtures))]
    public void Invoke_response_fixtures_read_as_json_bodies_and_write_back_unchanged(string name)
    {
        var body = JsonNode.Parse(TeamsFixtures.Read(name))!;

        var answer = JsonSerializer.SerializeToNode(new InvokeResponse(200, body).Body, ProtocolJson.Options);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(TeamsFixtures.Read(name)), answer));
    }

    [Fact]
    public void The_login_request_invoke_response_reads_as_an_adaptive_card_invoke_response()
    {
        var response = TeamsFixtures.Deserialize<AdaptiveCardInvokeResponse>("26-invokeresponse-adaptivecard-action-loginrequest-401.json");

        Assert.Equal(401, response.StatusCode);
        Assert.Equal("application/vnd.microsoft.activity.loginRequest", response.Type);
        Assert.NotNull(response.Value?["tokenExchangeResource"]);
    }

    [Theory]
    [MemberData(nameof(TeamsFixtures.CreateConversationRequests), MemberType = typeof(TeamsFixtures))]
    public void Create_conversation_bodies_read_as_conversation_parameters(string name)
    {
        var original = TeamsFixtures.ReadNode(name);

        var parameters = TeamsFixtures.Deserialize<ConversationParameters>(name);

        Assert.Equal(original["isGroup"]?.GetValue<bool>(), parameters.IsGroup);
        Assert.Equal(original["members"]?.AsArray().Count, parameters.Members?.Count);
        Assert.Equal(original["tenantId"]?.GetValue<string>() ?? original["channelData"]?["tenant"]?["id"]?.GetValue<string>(),
            parameters.TenantId ?? parameters.ChannelData?["tenant"]?["id"]?.GetValue<string>());
        Assert.Equal(original["activity"]?["text"]?.GetValue<string>(), parameters.Activity?.Text);
    }

    [Fact]
    public void The_channel_thread_response_reads_as_a_conversation_resource_response()
    {
        var response = TeamsFixtures.Deserialize<ConversationResourceResponse>("35-create-conversation-channel-thread-response.json");

        Assert.Equal("19:LydFnezGKSkhYoiLNP6kZ8AuXQr36EDAkvG9CNJSPKc1@thread.tacv2;messageid=1776390257332", response.Id);
        Assert.Equal("1776390257332", response.ActivityId);
    }

    [Fact]
    public void Tenant_comes_from_channel_data_when_the_conversation_has_none()
    {
        var activity = TeamsFixtures.Deserialize<Activity>("01-message-personal-richtext.json");

        Assert.Null(activity.Conversation?.TenantId);
        Assert.Equal(TeamsFixtures.ReadNode("01-message-personal-richtext.json")["channelData"]!["tenant"]!["id"]!.GetValue<string>(), activity.GetTenantId());
    }

    [Fact]
    public void Tenant_comes_from_the_conversation_when_it_has_one()
    {
        var activity = TeamsFixtures.Deserialize<Activity>("14-conversationupdate-bot-added-to-team.json");

        Assert.NotNull(activity.Conversation?.TenantId);
        Assert.Equal(activity.Conversation.TenantId, activity.GetTenantId());
    }

    [Fact]
    public void The_bots_own_mention_is_stripped_from_a_channel_thread_reply()
    {
        var activity = TeamsFixtures.Deserialize<Activity>("02-message-channel-thread-reply-bot-mention.json");
        Assert.StartsWith("<at>ridotest</at>", activity.Text, StringComparison.Ordinal);

        activity.RemoveRecipientMention();

        Assert.Equal("reply to thread", activity.Text);
    }

    [Fact]
    public void Mentions_of_other_users_are_kept()
    {
        var activity = TeamsFixtures.Deserialize<Activity>("03-message-channel-mention-other-user.json");
        var before = activity.Text!.Trim();

        activity.RemoveRecipientMention();

        Assert.Equal(before, activity.Text);
        Assert.Contains("<at>", activity.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_adaptive_card_action_value_reads_as_its_model()
    {
        var activity = TeamsFixtures.Deserialize<Activity>("23-invoke-adaptivecard-action-sso-token-retry.fragment.json");

        var value = activity.Value.Deserialize<AdaptiveCardInvokeValue>(ProtocolJson.Options);

        Assert.Equal(InvokeNames.AdaptiveCardAction, activity.Name);
        Assert.Equal("Action.Execute", value?.Action?.Type);
        Assert.False(string.IsNullOrEmpty(value?.Action?.Verb));
    }

    private static DateTimeOffset? ReadTime(JsonNode? node) =>
        node is null ? null : DateTimeOffset.Parse(node.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

    private static void RemoveNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Where(p => p.Value is null).Select(p => p.Key).ToList())
                {
                    obj.Remove(key);
                }

                foreach (var (_, value) in obj)
                {
                    RemoveNulls(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    RemoveNulls(item);
                }

                break;
        }
    }
}
