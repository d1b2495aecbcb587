using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.TestKit.Azurite;
using static FusionBot.FunctionalTests.Digest.DigestTestData;

namespace FusionBot.FunctionalTests.Digest;

/// <summary>The broadcast on real Table Storage (azurite): records, desk and outbox rows behave as on the embedded store.</summary>
public sealed class DigestTableStorageTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task A_broadcast_interrupted_by_a_restart_reaches_every_recipient_once()
    {
        const int Subscribers = 60;
        await using var bot = await BotHost.StartAsync(azurite.Server, Settings(maxSendsPerSecond: 50));
        await SubscribeAsync(bot, Subscribers);
        await RegisterCommunityChannelAsync(bot);

        await bot.SayAsync("digest note Thanks for a great week!", Admin);
        await bot.SayAsync("digest send", Admin);
        await WaitUntilAsync(() => DigestsDelivered(bot.Connector).Count >= 10, TimeSpan.FromSeconds(30),
            () => $"{DigestsDelivered(bot.Connector).Count} delivered before the restart");
        await bot.RestartAsync();

        await WaitUntilAsync(() => DigestsDelivered(bot.Connector).Count == Subscribers + 1, TimeSpan.FromSeconds(60),
            () => $"{DigestsDelivered(bot.Connector).Count} of {Subscribers + 1} delivered");
        Assert.All(DigestsDelivered(bot.Connector).Values, count => Assert.Equal(1, count));
        await WaitUntilAsync(async () => Texts(await bot.SayAsync("digest status", Admin)).Contains($"{Subscribers + 1} delivered, 0 failed, 0 pending"),
            TimeSpan.FromSeconds(20), () => "status never showed every delivery");
        Assert.All(bot.Connector.Calls.Where(c => c.Activity?.Summary?.StartsWith("Weekly digest", StringComparison.Ordinal) == true),
            call => Assert.Contains("Thanks for a great week!", call.Body));
    }
}
