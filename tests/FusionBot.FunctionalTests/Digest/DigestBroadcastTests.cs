using System.Net;
using FusionBot.Features.Digest;
using FusionBot.Features.Outbox;
using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.Storage;
using FusionBot.TestKit;
using Microsoft.Extensions.DependencyInjection;
using static FusionBot.FunctionalTests.Digest.DigestTestData;

namespace FusionBot.FunctionalTests.Digest;

/// <summary>Broadcasting through the outbox to the recording connector: throttled, retried, restartable, once per recipient.</summary>
public sealed class DigestBroadcastTests
{
    [Fact]
    public async Task Five_hundred_subscribers_each_get_the_digest_once_through_throttling_and_a_restart()
    {
        const int Subscribers = 500;
        await using var bot = await BotHost.StartAsync(settings: Settings(maxSendsPerSecond: 200));
        await SubscribeAsync(bot, Subscribers);
        // Teams throttles: four 429s in a row outlast the client's own retries, so one delivery goes back to the outbox.
        bot.Connector.FailNext(ConnectorRoute.SendToConversation, 6, HttpStatusCode.TooManyRequests, TimeSpan.Zero);

        Assert.Contains("Sending the digest", Texts(await bot.SayAsync("digest send", Admin)));
        await WaitUntilAsync(() => DigestsDelivered(bot.Connector).Count >= 100, TimeSpan.FromSeconds(30),
            () => $"{DigestsDelivered(bot.Connector).Count} delivered before the restart");

        await bot.RestartAsync();
        var deliveredBeforeRestart = DigestsDelivered(bot.Connector).Count;
        Assert.True(deliveredBeforeRestart < Subscribers, "the restart came after the broadcast had finished");

        await WaitUntilAsync(() => DigestsDelivered(bot.Connector).Count == Subscribers, TimeSpan.FromSeconds(60),
            () => $"{DigestsDelivered(bot.Connector).Count} of {Subscribers} delivered");
        var delivered = DigestsDelivered(bot.Connector);
        Assert.All(Enumerable.Range(0, Subscribers), i => Assert.Equal(1, delivered.GetValueOrDefault(SubscriberConversation(i))));
        Assert.Equal(6, bot.Connector.Calls.Count(c => c.StatusCode == 429));

        await WaitUntilAsync(async () => Texts(await bot.SayAsync("digest status", Admin)).Contains($"{Subscribers} delivered, 0 failed, 0 pending"),
            TimeSpan.FromSeconds(20), () => "status never showed every delivery");
        Assert.Contains("already sent", Texts(await bot.SayAsync("digest send", Admin)));
        Assert.Equal(Subscribers, DigestsDelivered(bot.Connector).Values.Sum());
    }

    [Fact]
    public async Task Sends_keep_to_the_configured_rate_per_instance()
    {
        const int PerSecond = 20;
        await using var bot = await BotHost.StartAsync(settings: Settings(maxSendsPerSecond: PerSecond));
        await SubscribeAsync(bot, 30);

        await bot.SayAsync("digest send", Admin);
        await WaitUntilAsync(() => DigestsDelivered(bot.Connector).Count == 30, TimeSpan.FromSeconds(30),
            () => $"{DigestsDelivered(bot.Connector).Count} of 30 delivered");

        // Spaced 1/20 s apart, any 21 consecutive sends span a second; 10 % allowance for loopback jitter.
        var times = bot.Connector.Calls.Where(c => c.Succeeded && c.ConversationId?.StartsWith("a:subscriber-", StringComparison.Ordinal) == true)
            .Select(c => c.At).Order().ToList();
        Assert.All(Enumerable.Range(0, times.Count - PerSecond), i =>
            Assert.True(times[i + PerSecond] - times[i] >= TimeSpan.FromMilliseconds(900), $"sends {i}..{i + PerSecond} within {(times[i + PerSecond] - times[i]).TotalMilliseconds} ms"));
    }

    [Fact]
    public async Task The_scheduled_run_previews_to_admins_broadcasts_with_auto_send_and_queues_the_next_week()
    {
        await using var bot = await BotHost.StartAsync(settings: Settings(autoSend: true));
        await bot.SayAsync("help", Admin); // the admin's 1:1 conversation is remembered
        await bot.SayAsync("subscribe digest");
        var schedule = bot.Services.GetRequiredService<DigestSchedule>();
        var dueWork = bot.Services.GetRequiredService<IDueWorkStore>();
        var firstRun = schedule.NextAfter(DateTimeOffset.UtcNow)!.Value;
        Assert.Equal(DueWorkState.Pending, (await dueWork.GetStatusAsync(schedule.RunId(firstRun)))?.State);

        // The run as the outbox hands it over when due (here: due now).
        var occurrence = DateTimeOffset.UtcNow;
        await bot.Services.GetRequiredService<WorkOutbox>().EnqueueAsync("digest-run:test", DigestRunHandler.RunKind, new DigestRunPayload(occurrence));

        var adminChat = bot.Activities.PersonalConversation(Admin).Id!;
        var makerChat = bot.Activities.PersonalConversation().Id!;
        await WaitUntilAsync(() => DigestsDelivered(bot.Connector).Keys.ToHashSet().SetEquals([adminChat, makerChat]), TimeSpan.FromSeconds(20),
            () => "Delivered: " + string.Join(", ", DigestsDelivered(bot.Connector).Keys));
        var preview = bot.Connector.Calls.Single(c => c.ConversationId == adminChat && c.Activity?.Summary?.StartsWith("Weekly digest", StringComparison.Ordinal) == true);
        Assert.Contains("Preview", preview.Body);
        var status = await bot.Services.GetRequiredService<DigestBroadcast>().StatusAsync(bot.Activities.TenantId, default);
        Assert.Equal(DigestRunHandler.Scheduler, status!.Digest.SentBy);

        var next = schedule.NextAfter(occurrence)!.Value;
        Assert.Equal(DueWorkState.Pending, (await dueWork.GetStatusAsync(schedule.RunId(next)))?.State);
        Assert.Contains("by Digest schedule", Texts(await bot.SayAsync("digest send", Admin)));
    }
}
