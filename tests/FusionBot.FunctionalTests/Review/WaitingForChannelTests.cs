using System.Net;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.TestKit;
using FusionBot.TestKit.Azurite;

namespace FusionBot.FunctionalTests.Review;

/// <summary>A tier with no review channel: the CoE admins are told once (through the outbox), the maker hears nothing untrue.</summary>
public sealed class WaitingForChannelTests : IAsyncLifetime
{
    private ReviewHarness _h = null!;

    public async Task InitializeAsync() => _h = await ReviewHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private IReadOnlyList<RecordedCall> ToAdmin() => [.. _h.Connector.Calls.Where(c => c.Route == ConnectorRoute.SendToConversation
        && c.ConversationId == _h.Bot.Activities.PersonalConversation(ReviewHarness.Admin).Id)];

    [Fact]
    public async Task The_admins_are_told_once_per_tier_how_to_register_a_channel_and_the_waiting_requests_then_go_to_it()
    {
        await _h.Bot.SayAsync("hi", ReviewHarness.Admin); // the admin's 1:1 chat, where FusionBot can reach them
        var first = await _h.SubmitAsync(2, "Expense tracker");
        await _h.MakerToldAsync($"{first} is waiting: no Tier 2 review channel is set up yet");
        var told = await _h.Connector.WaitForAsync(c => c.Route == ConnectorRoute.SendToConversation
            && c.ConversationId == _h.Bot.Activities.PersonalConversation(ReviewHarness.Admin).Id && c.Body.Contains("register tier 2", StringComparison.Ordinal));
        Assert.Contains(first, told.Body, StringComparison.Ordinal);

        var second = await _h.SubmitAsync(2, "Leave planner");
        await _h.MakerToldAsync($"{second} is waiting");
        await _h.RegisterAsync(2, ReviewHarness.Tier2Channel);
        await _h.PostedAsync(first);
        await _h.PostedAsync(second);

        // The outbox takes due work in due order: the second request's admin item went before the cards posted after it.
        Assert.Single(ToAdmin(), c => c.Body.Contains("register tier 2", StringComparison.Ordinal));
        Assert.DoesNotContain(_h.Connector.Calls, c => c.Body.Contains("has been asked", StringComparison.Ordinal));
        Assert.All(await _h.HistoryAsync(first), e => Assert.True(e.Action == RequestActions.Submitted || e.Actor.Id == RequestActors.FusionBot.Id));
    }
}

/// <summary>
/// One outbox item per CoE admin for "no review channel", on each store: the connector fails the second admin's send
/// once, the outbox retries only that admin's item, and each admin gets the message exactly once.
/// </summary>
public abstract class WaitingForChannelAdminRetryTests
{
    private static readonly TeamsUser SecondAdmin = new("29:admin-2", "Abe Admin", "f6666666-6666-6666-6666-666666666666");

    protected abstract AzuriteTableServer? TableStorage { get; }

    [Fact]
    public async Task Each_admin_is_told_exactly_once_when_the_send_to_the_second_admin_fails_once()
    {
        await using var h = await ReviewHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Governance:AdminIds:1"] = SecondAdmin.AadObjectId,
            ["Outbox:SweepInterval"] = "00:00:00.200",
            // One HTTP attempt per send: the outbox's retry (not the connector client's) has to carry the failed one.
            ["BotFramework:Connector:MaxAttempts"] = "1",
        }, TableStorage);
        await h.Bot.SayAsync("hi", ReviewHarness.Admin);
        await h.Bot.SayAsync("hi", SecondAdmin);
        var first = h.Bot.Activities.PersonalConversation(ReviewHarness.Admin).Id!;
        var second = h.Bot.Activities.PersonalConversation(SecondAdmin).Id!;
        h.Connector.FailNextInConversation(second, 1, HttpStatusCode.InternalServerError);

        var request = await h.SubmitAsync(2, "Expense tracker");
        bool Notice(RecordedCall c) => c.Route == ConnectorRoute.SendToConversation && c.Body.Contains("register tier 2", StringComparison.Ordinal)
            && c.Body.Contains(request, StringComparison.Ordinal);
        await h.Connector.WaitForAsync(c => Notice(c) && c.ConversationId == second && c.Succeeded, TimeSpan.FromSeconds(60));
        await h.Connector.WaitForAsync(c => Notice(c) && c.ConversationId == first && c.Succeeded, TimeSpan.FromSeconds(60));

        // The failed send was retried on its own: once failed and once delivered to the second admin, once to the first.
        var calls = h.Connector.Calls.Where(Notice).ToList();
        Assert.Equal(1, calls.Count(c => c.ConversationId == first));
        Assert.Equal([false, true], calls.Where(c => c.ConversationId == second).Select(c => c.Succeeded));
        Assert.DoesNotContain(await h.HistoryAsync(request), e => e.Action == RequestActions.NotificationFailed);
    }
}

public sealed class WaitingForChannelAdminRetryOnSqliteTests : WaitingForChannelAdminRetryTests
{
    protected override AzuriteTableServer? TableStorage => null;
}

public sealed class WaitingForChannelAdminRetryOnTableStorageTests(AzuriteFixture azurite) : WaitingForChannelAdminRetryTests, IClassFixture<AzuriteFixture>
{
    protected override AzuriteTableServer? TableStorage => azurite.Server;
}
