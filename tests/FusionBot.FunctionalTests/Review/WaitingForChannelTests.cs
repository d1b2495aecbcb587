using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.TestKit;

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
