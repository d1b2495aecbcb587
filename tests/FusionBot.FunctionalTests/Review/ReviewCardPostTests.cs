using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.Storage.Rows;
using FusionBot.TestKit;
using Microsoft.Extensions.DependencyInjection;

namespace FusionBot.FunctionalTests.Review;

/// <summary>The review card is posted once even when storing where it went fails right after the post.</summary>
public sealed class ReviewCardPostTests
{
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
