using FusionBot.Features.Digest;
using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.Storage;
using FusionBot.TestKit;
using FusionBot.TestKit.Cards;
using Microsoft.Extensions.DependencyInjection;
using static FusionBot.FunctionalTests.Digest.DigestTestData;

namespace FusionBot.FunctionalTests.Digest;

/// <summary>The digest commands in the 1:1 chat, through /api/messages with auth on and the recording connector.</summary>
public sealed class DigestCommandTests : IAsyncLifetime
{
    private BotHost _bot = null!;

    public async Task InitializeAsync() => _bot = await BotHost.StartAsync(settings: Settings());

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    private async Task SubmitTier2RequestAsync()
    {
        foreach (var text in new[] { "new request", "Invoice tracker", "Track supplier invoices", "Power Apps", "My department", "30", "SharePoint", "Internal", "None", "skip", "confirm" })
        {
            await _bot.SayAsync(text);
        }
    }

    [Theory]
    [InlineData("digest preview")]
    [InlineData("digest send")]
    [InlineData("digest note Hello")]
    [InlineData("digest status")]
    [InlineData("digest schedule")]
    public async Task A_maker_is_refused_every_admin_command(string command)
    {
        var reply = Texts(await _bot.SayAsync(command));

        Assert.Contains("Only CoE admins", reply);
        Assert.Null(await _bot.Services.GetRequiredService<DigestArchive>().GetAsync(DigestRecord.IdFor(_bot.Activities.TenantId, DateOnly.FromDateTime(DateTime.UtcNow)), default));
    }

    [Fact]
    public async Task A_maker_subscribes_and_unsubscribes_with_their_own_conversation()
    {
        var subscriptions = _bot.Services.GetRequiredService<IDigestSubscriptionStore>();

        Assert.Contains("Subscribed", Texts(await _bot.SayAsync("subscribe digest")));
        var subscriber = Assert.Single(await subscriptions.ListAsync(_bot.Activities.TenantId));
        Assert.Equal(TeamsUser.Maker.Id, subscriber.UserId);
        Assert.Equal(_bot.Activities.PersonalConversation().Id, subscriber.Conversation.Conversation!.Id);
        Assert.Equal(_bot.Connector.ServiceUrl, subscriber.Conversation.ServiceUrl);

        Assert.Contains("Unsubscribed", Texts(await _bot.SayAsync("unsubscribe digest")));
        Assert.Empty(await subscriptions.ListAsync(_bot.Activities.TenantId));
        Assert.Contains("were not subscribed", Texts(await _bot.SayAsync("unsubscribe digest")));
    }

    [Fact]
    public async Task An_admin_previews_notes_sends_and_follows_the_digest()
    {
        await SubmitTier2RequestAsync();
        await _bot.SayAsync("subscribe digest");
        await RegisterCommunityChannelAsync(_bot);

        var preview = Texts(await _bot.SayAsync("digest preview", Admin));
        Assert.Contains("Preview", preview);
        Assert.Contains("Tier 1: 0 · Tier 2: 1 · Tier 3: 0 · Tier 4: 0", preview);
        Assert.Contains("SharePoint (1)", preview);

        Assert.Contains("Noted", Texts(await _bot.SayAsync("digest note Welcome to the new makers in Finance!", Admin)));
        Assert.Contains("Welcome to the new makers in Finance!", Texts(await _bot.SayAsync("digest preview", Admin)));

        var schedule = Texts(await _bot.SayAsync("digest schedule", Admin));
        Assert.Contains("`0 9 * * 1` in UTC", schedule);
        Assert.Contains("next run", schedule);

        Assert.Contains("not sent", Texts(await _bot.SayAsync("digest status", Admin)));
        Assert.Contains("Sending the digest", Texts(await _bot.SayAsync("digest send", Admin)));

        await WaitUntilAsync(() => DigestsDelivered(_bot.Connector).Count == 2, TimeSpan.FromSeconds(20),
            () => "Delivered: " + string.Join(", ", DigestsDelivered(_bot.Connector).Keys));
        var delivered = DigestsDelivered(_bot.Connector);
        Assert.Equal(1, delivered[_bot.Activities.PersonalConversation().Id!]);
        Assert.Equal(1, delivered[CommunityChannelId]);
        var channelPost = _bot.Connector.Calls.Single(c => c.Route == ConnectorRoute.CreateConversation && c.Succeeded);
        Assert.Contains("Welcome to the new makers in Finance!", channelPost.Body);
        Assert.DoesNotContain("digest send", channelPost.Body); // the community gets the card without the admin preview banner

        await WaitUntilAsync(async () => Texts(await _bot.SayAsync("digest status", Admin)).Contains("2 delivered, 0 failed, 0 pending"),
            TimeSpan.FromSeconds(10), () => "status never reached 2 delivered");
        Assert.Contains("already sent", Texts(await _bot.SayAsync("digest send", Admin)));
        Assert.Equal(2, DigestsDelivered(_bot.Connector).Values.Sum());

        await AdaptiveCardValidator.AssertValidAsync([.. _bot.CardsSent()]);
    }

    [Fact]
    public async Task A_subscriber_who_blocked_the_bot_is_reported_and_unsubscribed()
    {
        await SubscribeAsync(_bot, 3);
        _bot.Connector.BlockConversation(SubscriberConversation(1));

        await _bot.SayAsync("digest send", Admin);

        await WaitUntilAsync(async () => Texts(await _bot.SayAsync("digest status", Admin)).Contains("2 delivered, 1 failed, 0 pending"),
            TimeSpan.FromSeconds(20), () => "status never reached 2 delivered, 1 failed");
        Assert.Contains("Connector 403 MessageWritesBlocked", Texts(await _bot.SayAsync("digest status", Admin)));
        var remaining = await _bot.Services.GetRequiredService<IDigestSubscriptionStore>().ListAsync(_bot.Activities.TenantId);
        Assert.Equal(["29:subscriber-0000", "29:subscriber-0002"], remaining.Select(s => s.UserId).Order());
    }
}
