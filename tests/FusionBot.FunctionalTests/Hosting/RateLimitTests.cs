using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.Features.Intake;
using FusionBot.Storage;
using FusionBot.TestKit;
using Microsoft.Extensions.DependencyInjection;

namespace FusionBot.FunctionalTests.Hosting;

/// <summary>
/// The per-user rate limit on /api/messages, through HTTP with auth on. The bucket holds three and refills only after
/// an hour, so nothing in a test run refills it.
/// </summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private const string SlowDown = "You are sending messages faster than I can take them";
    private BotHost _bot = null!;

    public async Task InitializeAsync() => _bot = await BotHost.StartAsync(settings: new Dictionary<string, string?>
    {
        ["RateLimit:PermitsPerPeriod"] = "3",
        ["RateLimit:Period"] = "01:00:00",
    });

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Over_the_limit_a_message_gets_one_slow_down_answer_then_silence_and_Teams_always_sees_200()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Contains(await _bot.SayAsync("help"), r => r.Summary == "What FusionBot does");
        }

        var limited = await _bot.SayAsync("help");
        var again = await _bot.SayAsync("help");

        Assert.Contains(SlowDown, Assert.Single(limited).Text, StringComparison.Ordinal);
        Assert.Empty(again);
    }

    [Fact]
    public async Task A_message_over_the_limit_is_not_acted_on()
    {
        await FillBucketAsync(TeamsUser.Maker);

        await _bot.SayAsync("new request");

        // Intake dialogs are keyed by tenant and conversation.
        var key = _bot.Activities.TenantId + "|" + _bot.Activities.PersonalConversation(TeamsUser.Maker).Id!;
        Assert.Null(await _bot.Services.GetRequiredService<IDialogStateStore>().GetAsync<IntakeState>(key));
    }

    [Fact]
    public async Task Another_user_is_not_slowed_down_by_someone_else()
    {
        var other = new TeamsUser("29:maker-2", "Omar Other", "c3333333-3333-3333-3333-333333333333");
        await FillBucketAsync(TeamsUser.Maker);

        Assert.Contains(await _bot.SayAsync("help", other), r => r.Summary == "What FusionBot does");
    }

    [Fact]
    public async Task The_limit_follows_the_persons_Entra_object_id_into_channels()
    {
        await FillBucketAsync(TeamsUser.Maker);
        var before = _bot.Connector.Calls.Count;

        var response = await _bot.PostAsync(_bot.Activities.ChannelMessageMentioningBot("channels", TeamsUser.Maker));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = Assert.Single(_bot.Connector.Calls.Skip(before));
        Assert.Contains(SlowDown, reply.Activity?.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_card_action_over_the_limit_gets_a_429_error_in_its_invoke_answer_and_nothing_is_sent()
    {
        await FillBucketAsync(TeamsUser.Maker);
        var before = _bot.Connector.Calls.Count;

        var response = await _bot.PostAsync(_bot.Activities.AdaptiveCardAction("review.approve", new JsonObject { ["requestId"] = "FR-000001" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(429, body["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.error", body["type"]!.GetValue<string>());
        Assert.Equal("TooManyRequests", body["value"]!["code"]!.GetValue<string>());
        Assert.Contains("wait a few seconds", body["value"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, _bot.Connector.Calls.Count);
    }

    private async Task FillBucketAsync(TeamsUser user)
    {
        for (var i = 0; i < 3; i++)
        {
            await _bot.SayAsync("help", user);
        }
    }
}
