using System.Net;
using FusionBot.Features.Digest;
using FusionBot.FunctionalTests.Digest;
using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.FunctionalTests.Sla;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.TestKit;
using FusionBot.TestKit.Azurite;
using Microsoft.Extensions.DependencyInjection;

namespace FusionBot.FunctionalTests.Outbox;

/// <summary>
/// Three instances share one outbox in azurite while Teams is slow: every send takes 4 s (its lease renewed meanwhile),
/// or answers 429 with Retry-After 45 s, waited for once or several times under a 60 s lease that only renewals keep.
/// 500 digest subscribers and the SLA messages of several requests: each delivered exactly once.
/// </summary>
public sealed class OutboxUnderSlowSendsTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const int Subscribers = 500;
    private const int SlaRequests = 4;
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_connector_taking_4_s_per_send_delivers_everything_exactly_once()
    {
        var hosts = await BotHost.StartManyAsync(3, azurite.Server, SlaScenario.Settings(
            // Renewed every 3.75 s while items are worked on; a 6 s lease lost 74 of 500 sends to takeovers when a machine
            // at load 33 delayed the renewal timers past it, so this leaves room for about 8 s of slip.
            ("Outbox:Lease", "00:00:15"),
            ("Outbox:Concurrency", "40"),
            ("Digest:MaxSendsPerSecond", "200"),
            // The SLA points come due once the digest's first waves are out: reminders at 22.5 s and 34 s, the breach at 45 s.
            ("Sla:Tier2", "00:00:45"),
            ("Sla:RemindAt:0", "0.5"),
            ("Sla:RemindAt:1", "0.75")));
        try
        {
            hosts[0].Connector.AnswerEveryCallAfter(TimeSpan.FromSeconds(4));
            await RunAndCheckAsync(hosts);
        }
        finally
        {
            await DisposeAllAsync(hosts);
        }
    }

    [Fact]
    public async Task Throttling_with_retry_after_45_s_past_the_lease_delivers_everything_exactly_once()
    {
        // Ten times the wall clock for all three instances: a 45 s Retry-After is 4.5 s here, the 60 s lease 6 s.
        var clock = new AcceleratedTimeProvider(10);
        var hosts = await BotHost.StartManyAsync(3, azurite.Server, SlaScenario.Settings(
                ("Outbox:Lease", "00:01:00"),
                ("Outbox:SweepInterval", "00:00:02"),
                ("Outbox:Concurrency", "16"),
                ("Digest:MaxSendsPerSecond", "200"),
                // 48 s of wall clock: a reminder still queued behind the digest's throttled waves when the due time comes is
                // dropped by design, and a 30 s window lost both reminders of a request that way on a machine at load 40.
                ("Sla:Tier2", "00:08:00"),
                ("Sla:RemindAt:0", "0.5"),
                ("Sla:RemindAt:1", "0.75")),
            services => services.AddSingleton<TimeProvider>(clock));
        try
        {
            var connector = hosts[0].Connector;
            // More 429s than one wave of sends: retries meet them again, so some sends wait 90 s or more, past the lease.
            connector.FailNext(ConnectorRoute.SendToConversation, 80, HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(45));
            connector.FailNext(ConnectorRoute.ReplyToActivity, 3, HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(45));
            connector.FailNext(ConnectorRoute.CreateConversation, 1, HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(45));

            await RunAndCheckAsync(hosts);

            Assert.Equal(84, connector.Calls.Count(c => c.StatusCode == 429));
        }
        finally
        {
            await DisposeAllAsync(hosts);
        }
    }

    /// <summary>SLA requests seeded through different instances, 500 subscribers, the digest sent; then every count checked.</summary>
    private static async Task RunAndCheckAsync(IReadOnlyList<BotHost> hosts)
    {
        var scenario = new SlaScenario(hosts[0]);
        await scenario.PrepareCoeAsync();
        await DigestTestData.SubscribeAsync(hosts[0], Subscribers);
        var requests = new List<GovernanceRequest>();
        for (var i = 1; i <= SlaRequests; i++)
        {
            requests.Add(await new SlaScenario(hosts[i % hosts.Count]).SeedInReviewAsync(i, new Person("29:reviewer-1", "b-aad", "Ravi Reviewer")));
        }

        var sent = await hosts[1].Services.GetRequiredService<DigestBroadcast>()
            .SendAsync(hosts[1].Activities.TenantId, new Person("29:admin", SlaScenario.AdminId, "Ada Admin"), CancellationToken.None);
        Assert.True(sent.Started);

        var connector = hosts[0].Connector;
        var recipients = Subscribers + 1; // and the community channel
        await DigestTestData.WaitUntilAsync(() => DigestTestData.DigestsDelivered(connector).Count == recipients, Generous,
            () => $"{DigestTestData.DigestsDelivered(connector).Count} of {recipients} recipients reached");
        await scenario.WaitUntilSettledAsync(requests.SelectMany(SlaScenario.ItemIds), Generous);
        var status = await hosts[2].Services.GetRequiredService<DigestBroadcast>().StatusAsync(hosts[2].Activities.TenantId, CancellationToken.None);
        Assert.Equal((recipients, 0, 0), (status!.Delivered, status.Failed, status.Pending));

        // Zero duplicates, zero losses.
        var delivered = DigestTestData.DigestsDelivered(connector);
        Assert.All(Enumerable.Range(0, Subscribers), i => Assert.Equal(1, delivered.GetValueOrDefault(DigestTestData.SubscriberConversation(i))));
        Assert.Equal(1, delivered[SlaScenario.CommunityChannelId]);
        foreach (var request in requests)
        {
            Assert.Equal(2, scenario.RemindersDelivered(request));
            Assert.Equal(1, scenario.AdminMessagesDelivered(request));
            Assert.Equal(1, scenario.ChannelMessagesDelivered(request));
            Assert.Equal(1, scenario.MakerMessagesDelivered(request));
            Assert.False(scenario.RemindedAfterBreach(request), $"a reminder of {request.Id} came after its breach alert");
        }
    }

    private static async Task DisposeAllAsync(IReadOnlyList<BotHost> hosts)
    {
        foreach (var host in hosts)
        {
            await host.DisposeAsync();
        }
    }
}
