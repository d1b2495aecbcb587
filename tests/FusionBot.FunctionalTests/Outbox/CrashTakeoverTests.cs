using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.FunctionalTests.Sla;
using FusionBot.Storage;
using FusionBot.TestKit;
using FusionBot.TestKit.Azurite;
using Microsoft.Extensions.DependencyInjection;

namespace FusionBot.FunctionalTests.Outbox;

/// <summary>An instance that claimed SLA work and died: the survivors take it over one short lease later, and drop what came too late.</summary>
public sealed class CrashTakeoverTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan CrashedLease = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task A_dead_instances_reminder_is_sent_once_after_its_lease_and_one_whose_lease_outlived_the_due_time_is_dropped()
    {
        await using var host = await BotHost.StartAsync(azurite.Server, SlaScenario.Settings(("Outbox:Lease", "00:00:03")));
        var scenario = new SlaScenario(host);
        await scenario.PrepareCoeAsync();
        var dueWork = host.Services.GetRequiredService<IDueWorkStore>();
        var taken = await scenario.SeedInReviewAsync(1);
        var late = await scenario.SeedInReviewAsync(2);

        // The dead instance claimed the first reminder of each as it came due: `taken`'s under a short lease, `late`'s under
        // one that outlived the breach (as the old two-minute lease did). Then it died, leaving both claimed.
        var takenDue = (await dueWork.GetStatusAsync($"sla:{taken.Id}:1:remind-30"))!.Item!.DueAt;
        var crashed = Assert.Single(await dueWork.ClaimDueAsync(takenDue, 1, CrashedLease, "crashed-instance"));
        Assert.Equal($"sla:{taken.Id}:1:remind-30", crashed.Item.Id);
        var lateDue = (await dueWork.GetStatusAsync($"sla:{late.Id}:1:remind-30"))!.Item!.DueAt;
        var outlived = Assert.Single(await dueWork.ClaimDueAsync(lateDue, 1, late.DueAt!.Value - lateDue + CrashedLease, "crashed-instance"));
        Assert.Equal($"sla:{late.Id}:1:remind-30", outlived.Item.Id);

        await scenario.WaitUntilSettledAsync([.. SlaScenario.ItemIds(taken), .. SlaScenario.ItemIds(late)], TimeSpan.FromMinutes(2));

        // Taken over (after the dead instance's lease, never during it) and sent once.
        Assert.Equal(2, scenario.RemindersDelivered(taken));
        var takeover = host.Connector.Calls.Where(c => c.Route == ConnectorRoute.ReplyToActivity && c.ConversationId == taken.ReviewCard!.ConversationId)
            .Min(c => c.At);
        Assert.True(takeover >= crashed.LeaseUntil, $"sent at {takeover:o}, while the dead instance's lease ran to {crashed.LeaseUntil:o}");
        // Taken over after the due time: dropped, not sent after the breach alert.
        Assert.Equal(1, scenario.RemindersDelivered(late));
        Assert.False(scenario.RemindedAfterBreach(late));
        Assert.Equal(DueWorkState.Completed, (await dueWork.GetStatusAsync(outlived.Item.Id))!.State);
        Assert.Equal(1, scenario.MakerMessagesDelivered(late));
    }
}
