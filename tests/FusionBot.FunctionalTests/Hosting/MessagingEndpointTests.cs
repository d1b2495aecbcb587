using System.Net;
using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.TestKit;
using FusionBot.TestKit.Cards;

namespace FusionBot.FunctionalTests.Hosting;

/// <summary>The app's own /api/messages and /healthz, as wired by Program (the protocol tests cover the full auth matrix).</summary>
public sealed class MessagingEndpointTests : IAsyncLifetime
{
    private BotHost _bot = null!;

    public async Task InitializeAsync() => _bot = await BotHost.StartAsync();

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task An_activity_without_a_token_is_refused_and_the_bot_stays_silent()
    {
        using var client = CreateClient();
        var response = await client.PostActivityAsync(_bot.Activities.PersonalMessage("help"), bearerToken: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_bot.Connector.Calls);
    }

    [Fact]
    public async Task A_token_signed_by_an_unknown_key_is_refused()
    {
        using var client = CreateClient();
        var activity = _bot.Activities.PersonalMessage("help");
        var token = _bot.Identity.CreateInboundToken(activity.ServiceUrl!, key: TestSigningKey.Attacker);

        var response = await client.PostActivityAsync(activity, token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_bot.Connector.Calls);
    }

    [Theory]
    [InlineData("{not json", "malformed")]
    [InlineData("{\"text\":\"hi\"}", "no type")]
    public async Task Bad_input_gets_400_with_a_short_reason(string body, string reason)
    {
        using var client = CreateClient();

        var response = await client.PostRawActivityAsync(body, _bot.Identity.CreateInboundToken(_bot.Connector.ServiceUrl));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Help_answers_with_a_valid_card_carrying_the_bearer_token_the_token_endpoint_issued()
    {
        var replies = await _bot.SayAsync("help");

        var reply = Assert.Single(replies);
        Assert.Equal("What FusionBot does", reply.Summary);
        var call = Assert.Single(_bot.Connector.Calls);
        Assert.Contains(call.BearerToken, _bot.Identity.IssuedTokens);
        await AdaptiveCardValidator.AssertValidAsync([.. _bot.CardsSent()]);
    }

    [Fact]
    public async Task Unknown_text_outside_a_dialog_gets_the_help_card_never_silence()
    {
        var replies = await _bot.SayAsync("what's the weather?");

        Assert.Contains(replies, r => r.Text?.Contains("I didn't catch that", StringComparison.Ordinal) == true);
        Assert.Contains(replies, r => r.Summary == "What FusionBot does");
    }

    [Fact]
    public async Task A_channel_message_that_does_not_mention_the_bot_gets_no_answer()
    {
        // Teams delivers these once a team consented to ChannelMessage.Read.Group; they are people talking to each other.
        var chatter = _bot.Activities.ChannelMessageMentioningBot("anyone free for lunch?");
        chatter.Entities = [];
        chatter.Text = "anyone free for lunch?";

        Assert.Empty(await _bot.TurnAsync(chatter));
        Assert.NotEmpty(await _bot.TurnAsync(_bot.Activities.ChannelMessageMentioningBot("help")));
    }

    [Fact]
    public async Task Installing_the_bot_in_the_personal_scope_welcomes_the_user_once()
    {
        await _bot.TurnAsync(_bot.Activities.InstallationUpdate());
        var replies = await _bot.TurnAsync(_bot.Activities.BotAddedToPersonalChat());

        Assert.Single(replies);
        Assert.Single(_bot.Connector.Calls);
    }

    [Fact]
    public async Task Healthz_answers_ok()
    {
        using var client = CreateClient();

        Assert.Equal("ok", await client.GetStringAsync("/healthz"));
    }

    private HttpClient CreateClient() => _bot.CreateClient();
}
