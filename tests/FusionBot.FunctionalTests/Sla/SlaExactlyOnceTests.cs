using System.Net;
using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.TestKit;
using FusionBot.TestKit.Azurite;
using Microsoft.Extensions.DependencyInjection;

namespace FusionBot.FunctionalTests.Sla;

/// <summary>SLA reminders and escalations through the real outbox workers of several app instances sharing azurite.</summary>
public sealed class SlaExactlyOnceTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Three_instances_send_every_reminder_and_every_breach_message_exactly_once()
    {
        var hosts = await BotHost.StartManyAsync(3, azurite.Server, SlaScenario.Settings());
        try
        {
            var scenario = new SlaScenario(hosts[0]);
            await scenario.PrepareCoeAsync();
            var requests = new List<GovernanceRequest>();
            for (var i = 1; i <= 20; i++)
            {
                // Seeded through different instances, as makers would hit different ones.
                var seeding = new SlaScenario(hosts[i % hosts.Count]);
                requests.Add(await seeding.SeedInReviewAsync(i, i % 2 == 0 ? new Person("29:reviewer-1", "b-aad", "Ravi Reviewer") : null));
            }

            await scenario.WaitUntilSettledAsync(requests.SelectMany(SlaScenario.ItemIds), Generous);

            var dueWork = hosts[0].Services.GetRequiredService<IDueWorkStore>();
            foreach (var request in requests)
            {
                Assert.Equal(2, scenario.RemindersDelivered(request));
                Assert.Equal(1, scenario.AdminMessagesDelivered(request));
                Assert.Equal(1, scenario.ChannelMessagesDelivered(request));
                Assert.Equal(1, scenario.MakerMessagesDelivered(request));
                var breached = Assert.Single(await hosts[0].Services.GetRequiredService<IRequestHistoryStore>().ListAsync(request.Id), e => e.Action == "SlaBreached");
                Assert.NotNull(await dueWork.GetStatusAsync($"review-card-update:{request.Id}:{breached.Id}"));
                var stored = await hosts[0].Services.GetRequiredService<IRequestStore>().GetAsync(request.TenantId, request.Id);
                Assert.Equal(request.DueAt, stored!.SlaBreachedAt);
            }

            Assert.All(hosts[0].Connector.Calls, call => Assert.True(call.Succeeded));
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task An_admin_whose_chat_is_in_another_tenant_is_not_told_of_this_tenants_breach()
    {
        await using var host = await BotHost.StartAsync(azurite.Server, SlaScenario.Settings());
        var scenario = new SlaScenario(host);
        await scenario.PrepareCoeAsync(adminChatTenant: "another-tenant");

        var request = await scenario.SeedInReviewAsync(1);
        await scenario.WaitUntilSettledAsync(SlaScenario.ItemIds(request), Generous);

        Assert.Equal(0, scenario.AdminMessagesDelivered(request));
        Assert.Equal(1, scenario.ChannelMessagesDelivered(request));
        Assert.Equal(1, scenario.MakerMessagesDelivered(request));
    }

    [Fact]
    public async Task A_connector_outage_loses_nothing_and_doubles_nothing()
    {
        // One HTTP attempt per send: the outbox's retry (not the connector client's) has to carry the item through.
        var hosts = await BotHost.StartManyAsync(2, azurite.Server, SlaScenario.Settings(("BotFramework:Connector:MaxAttempts", "1")));
        try
        {
            var scenario = new SlaScenario(hosts[0]);
            await scenario.PrepareCoeAsync();
            var connector = hosts[0].Connector;
            connector.FailNext(ConnectorRoute.ReplyToActivity, 2, HttpStatusCode.ServiceUnavailable);
            connector.FailNext(ConnectorRoute.SendToConversation, 3, HttpStatusCode.ServiceUnavailable);
            var requests = new List<GovernanceRequest>();
            for (var i = 1; i <= 3; i++)
            {
                requests.Add(await scenario.SeedInReviewAsync(i));
            }

            await scenario.WaitUntilSettledAsync(requests.SelectMany(SlaScenario.ItemIds), Generous);

            Assert.Equal(2, connector.Calls.Count(c => c.Route == ConnectorRoute.ReplyToActivity && c.StatusCode == 503));
            Assert.Equal(3, connector.Calls.Count(c => c.Route == ConnectorRoute.SendToConversation && c.StatusCode == 503));
            var dueWork = hosts[0].Services.GetRequiredService<IDueWorkStore>();
            foreach (var request in requests)
            {
                Assert.Equal(2, scenario.RemindersDelivered(request));
                Assert.Equal(1, scenario.AdminMessagesDelivered(request));
                Assert.Equal(1, scenario.ChannelMessagesDelivered(request));
                Assert.Equal(1, scenario.MakerMessagesDelivered(request));
                foreach (var id in SlaScenario.ItemIds(request))
                {
                    Assert.Equal(DueWorkState.Completed, (await dueWork.GetStatusAsync(id))!.State);
                }
            }
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_decision_before_the_reminder_stops_every_reminder_and_escalation()
    {
        await using var host = await BotHost.StartAsync(azurite.Server, SlaScenario.Settings());
        var scenario = new SlaScenario(host);
        await scenario.PrepareCoeAsync();
        var requests = host.Services.GetRequiredService<IRequestStore>();
        var dueWork = host.Services.GetRequiredService<IDueWorkStore>();

        var stopped = await scenario.SeedInReviewAsync(1);
        var racing = await scenario.SeedInReviewAsync(2);
        var waiting = await scenario.SeedInReviewAsync(3);
        // Decided, and the clock stopped, as the review feature does.
        await requests.UpdateAsync(stopped with { Status = RequestStatus.Approved });
        await dueWork.CancelForRequestAsync(stopped.Id);
        // Decided, but its items are already in some instance's hands (the stop missed them): the handlers re-check.
        await requests.UpdateAsync(racing with { Status = RequestStatus.Rejected });

        await scenario.WaitUntilSettledAsync(new[] { stopped, racing, waiting }.SelectMany(SlaScenario.ItemIds), Generous);

        Assert.Null(await dueWork.GetStatusAsync($"sla:{stopped.Id}:1:remind-30"));
        Assert.Equal(DueWorkState.Completed, (await dueWork.GetStatusAsync($"sla:{racing.Id}:1:remind-30"))!.State);
        foreach (var decided in new[] { stopped, racing })
        {
            Assert.DoesNotContain(host.Connector.Calls, c => c.Activity?.Text?.Contains($"**{decided.Id}**", StringComparison.Ordinal) == true);
            Assert.Null((await requests.GetAsync(decided.TenantId, decided.Id))!.SlaBreachedAt);
        }

        Assert.Equal(2, scenario.RemindersDelivered(waiting));
        Assert.Equal(1, scenario.MakerMessagesDelivered(waiting));
    }

    [Fact]
    public async Task A_maker_who_blocked_the_bot_fails_once_for_good_and_it_is_recorded()
    {
        await using var host = await BotHost.StartAsync(azurite.Server, SlaScenario.Settings());
        var scenario = new SlaScenario(host);
        await scenario.PrepareCoeAsync();
        var request = await scenario.SeedInReviewAsync(1);
        var makerConversation = request.MakerConversation!.Conversation!.Id!;
        host.Connector.BlockConversation(makerConversation);

        await scenario.WaitUntilSettledAsync(SlaScenario.ItemIds(request), Generous);

        var toMaker = await host.Services.GetRequiredService<IDueWorkStore>().GetStatusAsync($"sla:{request.Id}:1:breach:maker");
        Assert.Equal(DueWorkState.Failed, toMaker!.State);
        Assert.Contains("403", toMaker.FailureReason);
        var attempt = Assert.Single(host.Connector.Calls, c => c.ConversationId == makerConversation);
        Assert.Equal(403, attempt.StatusCode);
        var history = await host.Services.GetRequiredService<IRequestHistoryStore>().ListAsync(request.Id);
        var failed = Assert.Single(history, e => e.Action == FusionBot.Requests.NotificationFailures.Action);
        Assert.Equal("SLA breach message to Maker: Connector 403 MessageWritesBlocked", failed.Comment);
        // The CoE still heard of it.
        Assert.Equal(1, scenario.AdminMessagesDelivered(request));
        Assert.Equal(1, scenario.ChannelMessagesDelivered(request));
    }
}
