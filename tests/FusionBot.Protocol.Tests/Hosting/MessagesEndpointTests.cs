using System.Net;
using System.Text.Json.Nodes;
using FusionBot.Protocol.Models;
using FusionBot.TestKit;
using Microsoft.Extensions.Options;

namespace FusionBot.Protocol.Tests.Hosting;

/// <summary>The messaging endpoint over real HTTP, with tokens signed by test keys the fake identity publishes.</summary>
public sealed class MessagesEndpointTests : IAsyncLifetime
{
    private FakeBotIdentity identity = null!;
    private RecordingConnector connector = null!;
    private TestBotHost host = null!;
    private TeamsActivityBuilder teams = null!;

    public async Task InitializeAsync()
    {
        identity = await FakeBotIdentity.StartAsync();
        connector = await RecordingConnector.StartAsync();
        host = await TestBotHost.StartAsync(identity.ConfigurationAllowing(connector.ServiceUrl));
        teams = new TeamsActivityBuilder(connector.ServiceUrl);
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await connector.DisposeAsync();
        await identity.DisposeAsync();
    }

    [Fact]
    public async Task A_valid_message_is_answered_and_the_reply_carries_the_issued_bearer_token()
    {
        var message = teams.PersonalMessage("ping");

        var response = await host.Client.PostActivityAsync(message, identity.CreateInboundToken(connector.ServiceUrl));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = await connector.WaitForAsync(c => c.Route == ConnectorRoute.ReplyToActivity);
        Assert.Equal("pong: ping", reply.Activity?.Text);
        Assert.Equal(message.Id, reply.ActivityId);
        Assert.Equal(message.Conversation!.Id, reply.ConversationId);
        Assert.Equal((message.Recipient!.Id, message.From!.Id), (reply.Activity?.From?.Id, reply.Activity?.Recipient?.Id));
        Assert.Equal(Assert.Single(identity.IssuedTokens), reply.BearerToken);
    }

    public static TheoryData<string, HttpStatusCode> RejectedTokens => new()
    {
        { "no token", HttpStatusCode.Unauthorized },
        { "attacker key", HttpStatusCode.Unauthorized },
        { "wrong audience", HttpStatusCode.Unauthorized },
        { "wrong issuer", HttpStatusCode.Unauthorized },
        { "expired", HttpStatusCode.Unauthorized },
        { "not a jwt", HttpStatusCode.Unauthorized },
        { "garbled jwt", HttpStatusCode.Unauthorized },
        { "alg none", HttpStatusCode.Unauthorized },
        { "HS256", HttpStatusCode.Unauthorized },
        { "serviceurl mismatch", HttpStatusCode.Forbidden },
        { "key not endorsed for msteams", HttpStatusCode.Forbidden },
    };

    [Theory]
    [MemberData(nameof(RejectedTokens))]
    public async Task A_request_without_a_valid_token_for_this_activity_is_rejected_before_the_bot(string problem, HttpStatusCode expected)
    {
        var message = teams.PersonalMessage("ping");
        var serviceUrl = connector.ServiceUrl;
        var token = problem switch
        {
            "no token" => null,
            "attacker key" => identity.CreateInboundToken(serviceUrl, key: TestSigningKey.Attacker),
            "wrong audience" => identity.CreateInboundToken(serviceUrl, audience: "another-bot"),
            "wrong issuer" => identity.CreateInboundToken(serviceUrl, issuer: "https://evil.example.com"),
            "expired" => identity.CreateInboundToken(serviceUrl, expires: DateTimeOffset.UtcNow.AddMinutes(-6)),
            "not a jwt" => "opaque-token",
            "garbled jwt" => "eyJhbGciOiJSUzI1NiJ9.!!not-base64!!.c2ln",
            "alg none" => identity.CreateUnsignedToken(serviceUrl),
            "HS256" => identity.CreateHs256Token(serviceUrl),
            "serviceurl mismatch" => identity.CreateInboundToken("https://smba.example.com/evil/"),
            "key not endorsed for msteams" => identity.CreateInboundToken(serviceUrl, key: TestSigningKey.NotEndorsed),
            _ => throw new ArgumentOutOfRangeException(nameof(problem)),
        };

        var response = await host.Client.PostActivityAsync(message, token);

        Assert.Equal(expected, response.StatusCode);
        Assert.False(host.Bot.SawActivity(message.Id));
        Assert.Empty(connector.Calls);
    }

    [Fact]
    public async Task Signing_keys_that_cannot_be_fetched_answer_503_so_the_channel_retries_never_500()
    {
        var configuration = new Dictionary<string, string?>(identity.ConfigurationAllowing(connector.ServiceUrl))
        {
            ["BotFramework:OpenIdMetadataUrl"] = connector.BaseUrl + "/no-metadata-here",
        };
        await using var keyless = await TestBotHost.StartAsync(configuration);
        var message = teams.PersonalMessage("ping");

        var response = await keyless.Client.PostActivityAsync(message, identity.CreateInboundToken(connector.ServiceUrl));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.False(keyless.Bot.SawActivity(message.Id));
    }

    [Fact]
    public async Task A_token_expired_within_the_five_minute_skew_is_still_accepted()
    {
        var message = teams.PersonalMessage("late");

        var response = await host.Client.PostActivityAsync(message, identity.CreateInboundToken(connector.ServiceUrl, expires: DateTimeOffset.UtcNow.AddMinutes(-2)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(host.Bot.SawActivity(message.Id));
    }

    [Fact]
    public async Task A_key_rolled_over_after_the_keys_were_cached_is_fetched_and_accepted()
    {
        await host.Client.PostActivityAsync(teams.PersonalMessage("first"), identity.CreateInboundToken(connector.ServiceUrl));
        identity.PublishRolledKey();
        var message = teams.PersonalMessage("after rollover");

        var response = await host.Client.PostActivityAsync(message, identity.CreateInboundToken(connector.ServiceUrl, key: TestSigningKey.Rolled));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(host.Bot.SawActivity(message.Id));
        Assert.Equal(2, identity.MetadataRequestCount);
    }

    [Fact]
    public async Task Unknown_keys_refetch_the_keys_at_most_once_per_throttle_period()
    {
        await host.Client.PostActivityAsync(teams.PersonalMessage("ping"), identity.CreateInboundToken(connector.ServiceUrl));
        var afterFirst = identity.MetadataRequestCount;

        for (var i = 0; i < 3; i++)
        {
            var forged = await host.Client.PostActivityAsync(teams.PersonalMessage("forged"), identity.CreateInboundToken(connector.ServiceUrl, key: TestSigningKey.Attacker));
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        }

        Assert.Equal(1, afterFirst);
        Assert.Equal(2, identity.MetadataRequestCount);
    }

    [Fact]
    public async Task The_bots_own_mention_is_removed_before_the_bot_reads_a_channel_message()
    {
        var message = teams.ChannelMessageMentioningBot("status REQ-42 ");

        await host.Client.PostActivityAsync(message, identity.CreateInboundToken(connector.ServiceUrl));

        Assert.Equal("status REQ-42", host.Bot.Turns.Single(t => t.Id == message.Id).Text);
    }

    [Fact]
    public async Task An_adaptive_card_action_is_answered_with_the_bots_invoke_response()
    {
        var invoke = teams.AdaptiveCardAction("approve", new JsonObject { ["requestId"] = "REQ-1" });

        var response = await host.Client.PostActivityAsync(invoke, identity.CreateInboundToken(connector.ServiceUrl));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(200, body["statusCode"]?.GetValue<int>());
        Assert.Equal(AdaptiveCardInvokeResponse.MessageType, body["type"]?.GetValue<string>());
        Assert.Equal("Approved", body["value"]?.GetValue<string>());
    }

    [Fact]
    public async Task An_adaptive_card_action_the_bot_does_not_answer_is_not_implemented()
    {
        var response = await host.Client.PostActivityAsync(teams.AdaptiveCardAction("unknown-verb"), identity.CreateInboundToken(connector.ServiceUrl));

        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
    }

    [Fact]
    public async Task Another_invoke_the_bot_does_not_answer_gets_an_empty_200()
    {
        var invoke = teams.AdaptiveCardAction("x");
        invoke.Name = "composeExtension/query";

        var response = await host.Client.PostActivityAsync(invoke, identity.CreateInboundToken(connector.ServiceUrl));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync());
        Assert.True(host.Bot.SawActivity(invoke.Id));
    }

    [Theory]
    [InlineData(ActivityTypes.ConversationUpdate)]
    [InlineData(ActivityTypes.InstallationUpdate)]
    public async Task Lifecycle_activities_reach_the_bot(string type)
    {
        var activity = type == ActivityTypes.ConversationUpdate ? teams.BotAddedToPersonalChat() : teams.InstallationUpdate();

        var response = await host.Client.PostActivityAsync(activity, identity.CreateInboundToken(connector.ServiceUrl));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(host.Bot.SawActivity(activity.Id));
    }

    [Theory]
    [InlineData(ActivityTypes.Typing)]
    [InlineData(ActivityTypes.MessageReaction)]
    [InlineData(ActivityTypes.MessageUpdate)]
    public async Task Other_activity_types_are_acknowledged_without_calling_the_bot(string type)
    {
        var activity = teams.PersonalMessage("ignored");
        activity.Type = type;

        var response = await host.Client.PostActivityAsync(activity, identity.CreateInboundToken(connector.ServiceUrl));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(host.Bot.SawActivity(activity.Id));
    }

    [Fact]
    public async Task A_bot_failure_is_answered_500_so_the_channel_retries()
    {
        var response = await host.Client.PostActivityAsync(teams.PersonalMessage("boom"), identity.CreateInboundToken(connector.ServiceUrl));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    [Theory]
    [InlineData("{\"type\": \"message\", ", "malformed")]
    [InlineData("{\"text\": \"no type here\"}", "no type")]
    [InlineData("[1, 2, 3]", "malformed")]
    public async Task Bad_input_is_a_400_with_a_short_reason(string body, string reason)
    {
        var response = await host.Client.PostRawActivityAsync(body, identity.CreateInboundToken(connector.ServiceUrl));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(host.Bot.Turns);
    }

    [Fact]
    public async Task An_activity_over_256_KB_is_refused()
    {
        var message = teams.PersonalMessage(new string('x', 300 * 1024));

        var response = await host.Client.PostActivityAsync(message, identity.CreateInboundToken(connector.ServiceUrl));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("activity too large", await response.Content.ReadAsStringAsync());
        Assert.False(host.Bot.SawActivity(message.Id));
    }

    [Fact]
    public async Task Without_an_app_id_outside_production_activities_are_accepted_without_a_token()
    {
        await using var open = await TestBotHost.StartAsync([], environment: "Development");
        var message = teams.PersonalMessage("ping");

        var response = await open.Client.PostActivityAsync(message, bearerToken: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = await connector.WaitForAsync(c => c.Activity?.Text == "pong: ping");
        Assert.Null(reply.Authorization);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    [InlineData("Testing")]
    public async Task Any_environment_but_development_refuses_to_start_without_an_app_id(string environment)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => TestBotHost.StartAsync([], environment: environment));

        Assert.Contains("MicrosoftAppId", failure.Message, StringComparison.Ordinal);
        Assert.Contains(environment, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_benchmark_environment_runs_unauthenticated_like_development()
    {
        await using var open = await TestBotHost.StartAsync([], environment: "Benchmark");
        var message = teams.PersonalMessage("bench");

        var response = await open.Client.PostActivityAsync(message, bearerToken: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(open.Bot.SawActivity(message.Id));
    }
}
