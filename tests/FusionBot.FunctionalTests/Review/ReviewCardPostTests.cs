using System.Text.Json.Nodes;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.Storage.Rows;
using FusionBot.TestKit;
using FusionBot.TestKit.Graph;
using Microsoft.Extensions.DependencyInjection;

namespace FusionBot.FunctionalTests.Review;

/// <summary>The review card is posted once even when storing where it went fails right after the post, or the poster died.</summary>
public sealed class ReviewCardPostTests
{
    private const string Team = "d4444444-4444-4444-4444-444444444444";

    [Fact]
    public async Task A_card_an_instance_posted_before_it_died_is_found_in_the_channel_and_stored_not_posted_again()
    {
        await using var h = await ReviewHarness.StartAsync();
        var id = await BegunBeforeARestartAsync(h);
        var earlier = new FakeChannelMessage("1700000000001", DateTimeOffset.UtcNow,
            new JsonObject { ["type"] = "AdaptiveCard", ["actions"] = new JsonArray(new JsonObject { ["data"] = new JsonObject { ["requestId"] = id } }) }.ToJsonString());
        h.Graph.ChannelMessages = (team, channel) => team == Team && channel == ReviewHarness.Tier2Channel ? [earlier] : [];

        await RegisterAsync(h);

        var request = await StoredAsync(h, id);
        Assert.Equal(new ChannelMessage($"{ReviewHarness.Tier2Channel};messageid={earlier.Id}", earlier.Id, h.Connector.ServiceUrl), request.ReviewCard);
        Assert.Null(request.CardPosting);
        Assert.DoesNotContain(h.Connector.Calls, c => c.Route == ConnectorRoute.CreateConversation && c.Body.Contains(id, StringComparison.Ordinal));
        Assert.Contains(h.Graph.Calls, c => c.Path.EndsWith("/messages/delta()", StringComparison.Ordinal));

        // The card it found is the one decisions update.
        await h.ClickAsync("review.approve", id, TeamsUser.Reviewer);
        await h.CardUpdatedAsync(request.ReviewCard!, "Approved");
    }

    [Fact]
    public async Task When_Graph_cannot_be_asked_a_card_begun_before_a_restart_is_posted_rather_than_lost()
    {
        await using var h = await ReviewHarness.StartAsync();
        var id = await BegunBeforeARestartAsync(h);
        h.Graph.FailChannelMessages = 503;

        await RegisterAsync(h);

        var request = await h.PostedAsync(id);
        Assert.Single(h.Connector.Calls, c => c.Route == ConnectorRoute.CreateConversation && c.Body.Contains(id, StringComparison.Ordinal));
        Assert.Null(request.CardPosting);
        Assert.Contains(h.Graph.Calls, c => c.Path.EndsWith("/messages/delta()", StringComparison.Ordinal));
    }

    /// <summary>A Tier 2 request waiting for a channel, on which an earlier attempt noted a post to the Tier 2 channel and died.</summary>
    private static async Task<string> BegunBeforeARestartAsync(ReviewHarness h)
    {
        var id = await h.SubmitAsync(2);
        var waiting = await h.RequestAsync(id);
        Assert.Equal(RequestStatus.PendingRouting, waiting.Status);
        await h.Requests.UpdateAsync(waiting with { CardPosting = new ReviewCardPosting(ReviewHarness.Tier2Channel, Team, DateTimeOffset.UtcNow) });
        return id;
    }

    /// <summary>An admin registers the Tier 2 channel in a team Teams names by its Entra group id, which routes the waiting request.</summary>
    private static async Task RegisterAsync(ReviewHarness h)
    {
        var register = h.Bot.Activities.ChannelMessageMentioningBot("register tier 2", ReviewHarness.Admin, channelId: ReviewHarness.Tier2Channel);
        register.ChannelData!["team"]!["aadGroupId"] = Team;
        await h.Bot.TurnAsync(register);
    }

    private static async Task<GovernanceRequest> StoredAsync(ReviewHarness h, string id)
    {
        for (var i = 0; i < 200; i++)
        {
            if ((await h.RequestAsync(id)).ReviewCard is not null)
            {
                return await h.RequestAsync(id);
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{id}'s card was never stored.");
    }

    [Fact]
    public async Task Storing_the_posted_card_fails_three_times_and_still_exactly_one_card_is_posted()
    {
        var failing = new FailingCardRecord(failures: 3);
        await using var h = await ReviewHarness.StartAsync(services: services =>
            services.AddSingleton<IRequestStore>(sp => failing.Over(new RequestStore(sp.GetRequiredService<ITableRowStore>()))));
        await h.RegisterAsync(2, ReviewHarness.Tier2Channel);

        var id = await h.SubmitAsync(2);
        var request = await h.PostedAsync(id);

        Assert.Equal(3, failing.Failed);
        var posts = h.Connector.Calls.Where(c => c.Route == ConnectorRoute.CreateConversation && c.Body.Contains(id, StringComparison.Ordinal)).ToList();
        var post = Assert.Single(posts);
        Assert.Equal(post.Parameters!.ChannelData!["channel"]!["id"]!.GetValue<string>() + ";messageid=" + request.ReviewCard!.ActivityId,
            request.ReviewCard.ConversationId);

        // And the card it stored is the live one: a decision updates that very message.
        Assert.Contains("Approved", (await h.ClickAsync("review.approve", id, TeamsUser.Reviewer)).ToJsonString());
        await h.CardUpdatedAsync(request.ReviewCard, "Approved");
    }

    /// <summary>The request store, but the first <c>failures</c> writes that store a review card throw, as a storage outage would.</summary>
    private sealed class FailingCardRecord(int failures)
    {
        private readonly int _failures = failures;
        private int _failed;

        public int Failed => Math.Min(Volatile.Read(ref _failed), _failures);

        public IRequestStore Over(IRequestStore inner) => new Store(this, inner);

        private sealed class Store(FailingCardRecord owner, IRequestStore inner) : IRequestStore
        {
            public Task<string> NewIdAsync(CancellationToken cancellationToken = default) => inner.NewIdAsync(cancellationToken);

            public Task<GovernanceRequest> CreateAsync(GovernanceRequest request, CancellationToken cancellationToken = default) =>
                inner.CreateAsync(request, cancellationToken);

            public Task<GovernanceRequest?> GetAsync(string tenantId, string id, CancellationToken cancellationToken = default) =>
                inner.GetAsync(tenantId, id, cancellationToken);

            public async Task<GovernanceRequest> UpdateAsync(GovernanceRequest request, CancellationToken cancellationToken = default)
            {
                var before = await inner.GetAsync(request.TenantId, request.Id, cancellationToken);
                if (request.ReviewCard is not null && before?.ReviewCard is null && Interlocked.Increment(ref owner._failed) <= owner._failures)
                {
                    throw new IOException("Table Storage is unreachable (injected).");
                }

                return await inner.UpdateAsync(request, cancellationToken);
            }

            public Task<IReadOnlyList<GovernanceRequest>> ListByMakerAsync(string tenantId, string makerId, int limit, CancellationToken cancellationToken = default) =>
                inner.ListByMakerAsync(tenantId, makerId, limit, cancellationToken);

            public Task<IReadOnlyList<GovernanceRequest>> ListAsync(string tenantId, int limit, string? afterId = null, CancellationToken cancellationToken = default) =>
                inner.ListAsync(tenantId, limit, afterId, cancellationToken);

            public Task MoveMakerIndexAsync(string tenantId, string requestId, string fromMakerId, string toMakerId, CancellationToken cancellationToken = default) =>
                inner.MoveMakerIndexAsync(tenantId, requestId, fromMakerId, toMakerId, cancellationToken);

            public Task<IReadOnlyList<string>> ListIdsByMakerAsync(string tenantId, string makerId, CancellationToken cancellationToken = default) =>
                inner.ListIdsByMakerAsync(tenantId, makerId, cancellationToken);
        }
    }
}
