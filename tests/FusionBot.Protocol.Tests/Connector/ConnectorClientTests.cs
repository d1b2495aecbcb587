using System.Net;
using FusionBot.Protocol.Connector;
using FusionBot.Protocol.Models;
using FusionBot.TestKit;
using Microsoft.Extensions.DependencyInjection;

namespace FusionBot.Protocol.Tests.Connector;

public sealed class ConnectorClientTests : IAsyncLifetime
{
    private const string ThreadConversationId = "19:fusion-reviews@thread.tacv2;messageid=1700000000001";

    private readonly ImmediateDelays delays = new();
    private FakeBotIdentity identity = null!;
    private RecordingConnector connector = null!;
    private ServiceProvider services = null!;
    private ConnectorClient client = null!;

    public async Task InitializeAsync()
    {
        identity = await FakeBotIdentity.StartAsync();
        connector = await RecordingConnector.StartAsync();
        services = ProtocolServices.Create(identity.ConfigurationAllowing(connector.ServiceUrl), delays);
        client = services.GetRequiredService<ConnectorClient>();
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await connector.DisposeAsync();
        await identity.DisposeAsync();
    }

    [Fact]
    public async Task Sending_carries_the_token_the_token_endpoint_issued_and_keeps_the_conversation_id_intact()
    {
        var response = await client.SendToConversationAsync(connector.ServiceUrl, ThreadConversationId, Message("hello"));

        var call = Assert.Single(connector.Calls);
        Assert.Equal(ConnectorRoute.SendToConversation, call.Route);
        Assert.Equal(ThreadConversationId, call.ConversationId);
        Assert.Equal(Assert.Single(identity.IssuedTokens), call.BearerToken);
        Assert.Equal("hello", call.Activity?.Text);
        Assert.False(string.IsNullOrEmpty(response.Id));
    }

    [Fact]
    public async Task The_token_is_fetched_once_for_many_calls()
    {
        await Task.WhenAll(Enumerable.Range(0, 5).Select(i =>
            client.SendToConversationAsync(connector.ServiceUrl, "a:personal-1", Message($"m{i}"))));
        await client.SendToConversationAsync(connector.ServiceUrl, "a:personal-1", Message("later"));

        Assert.Equal(1, identity.TokenRequestCount);
        Assert.All(connector.Calls, call => Assert.Equal(identity.IssuedTokens[0], call.BearerToken));
    }

    [Fact]
    public async Task Reply_and_update_use_their_routes()
    {
        await client.ReplyToActivityAsync(connector.ServiceUrl, ThreadConversationId, "1700000000001", Message("in thread"));
        var update = await client.UpdateActivityAsync(connector.ServiceUrl, ThreadConversationId, "1700000000009", Message("edited"));

        var reply = connector.Calls[0];
        Assert.Equal((ConnectorRoute.ReplyToActivity, "POST", "1700000000001"), (reply.Route, reply.Method, reply.ActivityId));
        var put = connector.Calls[1];
        Assert.Equal((ConnectorRoute.UpdateActivity, "PUT", "1700000000009"), (put.Route, put.Method, put.ActivityId));
        Assert.Equal("1700000000009", put.Activity?.Id);
        Assert.Equal("1700000000009", update.Id);
    }

    [Fact]
    public async Task A_channel_thread_is_created_with_the_channel_and_answers_the_thread_id()
    {
        var response = await client.CreateChannelThreadAsync(connector.ServiceUrl, "tenant-1", "19:reviews@thread.tacv2", Message("New request"));

        var call = Assert.Single(connector.Calls);
        Assert.Equal(true, call.Parameters?.IsGroup);
        Assert.Equal("19:reviews@thread.tacv2", call.Json?["channelData"]?["channel"]?["id"]?.GetValue<string>());
        Assert.Equal("tenant-1", call.Parameters?.TenantId);
        Assert.Equal("New request", call.Activity?.Text);
        Assert.Equal($"19:reviews@thread.tacv2;messageid={response.ActivityId}", response.Id);
    }

    [Fact]
    public async Task A_personal_conversation_is_created_from_a_user_reference()
    {
        var reference = new ConversationReference
        {
            ServiceUrl = connector.ServiceUrl,
            TenantId = "tenant-1",
            User = new ChannelAccount { Id = "29:user-1", AadObjectId = "aad-1" },
            Bot = new ChannelAccount { Id = "28:bot", Name = "FusionBot" },
        };

        var response = await client.CreatePersonalConversationAsync(reference, Message("Welcome"));

        var call = Assert.Single(connector.Calls);
        Assert.Equal(false, call.Parameters?.IsGroup);
        Assert.Equal("29:user-1", Assert.Single(call.Parameters!.Members!).Id);
        Assert.Equal("tenant-1", call.Json?["channelData"]?["tenant"]?["id"]?.GetValue<string>());
        Assert.Equal("tenant-1", call.Parameters.TenantId);
        Assert.Equal("28:bot", call.Parameters.Bot?.Id);
        Assert.Equal("Welcome", call.Activity?.Text);
        Assert.Equal("a:personal-29:user-1", response.Id);
    }

    [Fact]
    public async Task Sending_to_a_reference_fills_the_addressing_from_it()
    {
        var reference = new ConversationReference
        {
            ServiceUrl = connector.ServiceUrl,
            ChannelId = Channels.MsTeams,
            Conversation = new ConversationAccount { Id = "a:personal-2" },
            User = new ChannelAccount { Id = "29:user-2" },
            Bot = new ChannelAccount { Id = "28:bot" },
        };

        await client.SendToReferenceAsync(reference, Message("reminder"));

        var sent = Assert.Single(connector.Calls);
        Assert.Equal("a:personal-2", sent.ConversationId);
        Assert.Equal(("28:bot", "29:user-2", "msteams"), (sent.Activity?.From?.Id, sent.Activity?.Recipient?.Id, sent.Activity?.ChannelId));
        Assert.Equal(connector.ServiceUrl, sent.Activity?.ServiceUrl);
    }

    [Fact]
    public async Task Members_are_read_page_by_page_and_one_by_one()
    {
        connector.SetRoster("19:team@thread.tacv2",
            new TeamsChannelAccount { Id = "29:a", AadObjectId = "aad-a", Name = "A" },
            new TeamsChannelAccount { Id = "29:b", AadObjectId = "aad-b", Name = "B" },
            new TeamsChannelAccount { Id = "29:c", AadObjectId = "aad-c", Name = "C" });

        var first = await client.GetPagedMembersAsync(connector.ServiceUrl, "19:team@thread.tacv2", pageSize: 2);
        var second = await client.GetPagedMembersAsync(connector.ServiceUrl, "19:team@thread.tacv2", 2, first.ContinuationToken);
        var member = await client.GetMemberAsync(connector.ServiceUrl, "19:team@thread.tacv2", "aad-b");

        Assert.Equal(["29:a", "29:b"], first.Members.Select(m => m.Id));
        Assert.Equal(["29:c"], second.Members.Select(m => m.Id));
        Assert.Null(second.ContinuationToken);
        Assert.Equal("B", member.Name);
    }

    [Fact]
    public async Task Throttling_is_retried_after_the_wait_the_service_asks_for()
    {
        connector.FailNext(ConnectorRoute.SendToConversation, 1, HttpStatusCode.TooManyRequests, retryAfter: TimeSpan.FromSeconds(3));

        var response = await client.SendToConversationAsync(connector.ServiceUrl, "a:personal-1", Message("hi"));

        Assert.Equal([429, 201], connector.Calls.Select(c => c.StatusCode));
        Assert.Contains(TimeSpan.FromSeconds(3), delays.Delays);
        Assert.False(string.IsNullOrEmpty(response.Id));
    }

    [Fact]
    public async Task A_service_that_stays_unavailable_fails_after_four_attempts()
    {
        connector.FailNext(ConnectorRoute.SendToConversation, 10, HttpStatusCode.ServiceUnavailable);

        var failure = await Assert.ThrowsAsync<ConnectorException>(() =>
            client.SendToConversationAsync(connector.ServiceUrl, "a:personal-1", Message("hi")));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failure.StatusCode);
        Assert.False(failure.IsPermanent);
        Assert.Equal(4, connector.Calls.Count);
        Assert.Equal(3, delays.Delays.Count);
        Assert.True(delays.Delays[2] > delays.Delays[0], "back-off grows between attempts");
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_cap_is_not_waited_for()
    {
        connector.FailNext(ConnectorRoute.SendToConversation, 1, HttpStatusCode.TooManyRequests, retryAfter: TimeSpan.FromMinutes(10));

        var failure = await Assert.ThrowsAsync<ConnectorException>(() =>
            client.SendToConversationAsync(connector.ServiceUrl, "a:personal-1", Message("hi")));

        Assert.Equal(HttpStatusCode.TooManyRequests, failure.StatusCode);
        Assert.Single(connector.Calls);
        Assert.Empty(delays.Delays);
    }

    [Fact]
    public async Task A_user_who_blocked_the_bot_is_a_permanent_failure_without_retries()
    {
        connector.BlockConversation("a:personal-blocked");

        var failure = await Assert.ThrowsAsync<ConnectorException>(() =>
            client.SendToConversationAsync(connector.ServiceUrl, "a:personal-blocked", Message("hi")));

        Assert.Equal(HttpStatusCode.Forbidden, failure.StatusCode);
        Assert.Equal(ConnectorException.MessageWritesBlocked, failure.ErrorCode);
        Assert.True(failure.IsPermanent);
        Assert.Single(connector.Calls);
    }

    [Fact]
    public async Task An_unknown_member_is_a_permanent_not_found_with_teams_error_code()
    {
        var failure = await Assert.ThrowsAsync<ConnectorException>(() =>
            client.GetMemberAsync(connector.ServiceUrl, "19:team@thread.tacv2", "29:nobody"));

        Assert.Equal(HttpStatusCode.NotFound, failure.StatusCode);
        Assert.Equal("MemberNotFoundInConversation", failure.ErrorCode);
        Assert.True(failure.IsPermanent);
    }

    [Fact]
    public async Task A_forbidden_answer_with_another_code_is_not_permanent()
    {
        connector.FailNext(ConnectorRoute.ReplyToActivity, 1, HttpStatusCode.Forbidden, errorCode: "BotNotInConversationRoster");

        var failure = await Assert.ThrowsAsync<ConnectorException>(() =>
            client.ReplyToActivityAsync(connector.ServiceUrl, "a:personal-1", "1", Message("hi")));

        Assert.Equal("BotNotInConversationRoster", failure.ErrorCode);
        Assert.False(failure.IsPermanent);
    }

    [Fact]
    public async Task An_empty_success_body_reads_as_an_empty_answer()
    {
        connector.AnswerNextWithEmptyBody(ConnectorRoute.UpdateActivity);
        connector.AnswerNextWithEmptyBody(ConnectorRoute.CreateConversation);

        var update = await client.UpdateActivityAsync(connector.ServiceUrl, "a:personal-1", "42", Message("edited"));
        var created = await client.CreateChannelThreadAsync(connector.ServiceUrl, "tenant-1", "19:c@thread.tacv2", Message("post"));

        Assert.Null(update.Id);
        Assert.Null(created.Id);
        Assert.Equal([200, 200], connector.Calls.Select(c => c.StatusCode));
    }

    [Fact]
    public async Task A_stored_reference_naming_an_unlisted_service_url_is_never_sent_the_token()
    {
        await using var poisoned = await RecordingConnector.StartAsync();
        var reference = new ConversationReference
        {
            ServiceUrl = poisoned.ServiceUrl,
            Conversation = new ConversationAccount { Id = "a:personal-3" },
            User = new ChannelAccount { Id = "29:user-3" },
            TenantId = "tenant-1",
            Bot = new ChannelAccount { Id = "28:bot" },
        };

        var send = await Assert.ThrowsAsync<ConnectorException>(() => client.SendToReferenceAsync(reference, Message("reminder")));
        var open = await Assert.ThrowsAsync<ConnectorException>(() => client.CreatePersonalConversationAsync(reference, Message("hello")));

        Assert.All([send, open], failure =>
        {
            Assert.Equal(ConnectorException.ServiceUrlNotAllowed, failure.ErrorCode);
            Assert.True(failure.IsPermanent);
        });
        Assert.Empty(poisoned.Calls);
        Assert.Equal(0, identity.TokenRequestCount);
    }

    [Theory]
    [InlineData("http://smba.trafficmanager.net/teams/")]
    [InlineData("https://smba.trafficmanager.net.attacker.example/teams/")]
    [InlineData("https://attacker.example/")]
    public async Task Public_or_plain_http_hosts_off_the_list_are_refused_before_any_request(string serviceUrl)
    {
        var failure = await Assert.ThrowsAsync<ConnectorException>(() => client.SendToConversationAsync(serviceUrl, "a:personal-1", Message("hi")));

        Assert.Equal(ConnectorException.ServiceUrlNotAllowed, failure.ErrorCode);
        Assert.Equal(0, identity.TokenRequestCount);
    }

    private static Activity Message(string text) => new() { Type = ActivityTypes.Message, Text = text };
}
