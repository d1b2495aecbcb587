using FusionBot.Features.Review;
using FusionBot.Requests;
using FusionBot.TestKit;
using FusionBot.TestKit.Azurite;
using Microsoft.Extensions.DependencyInjection;

namespace FusionBot.FunctionalTests.Review;

/// <summary>The review workflow on real Table Storage (azurite): the waiting index, the outbox and the ETag-guarded decision.</summary>
public sealed class ReviewOnTableStorageTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private ReviewHarness _h = null!;

    public async Task InitializeAsync() => _h = await ReviewHarness.StartAsync(tableStorage: azurite.Server);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task A_waiting_request_is_posted_on_register_and_concurrent_approvals_decide_once()
    {
        var id = await _h.SubmitAsync(2);
        Assert.Equal(RequestStatus.PendingRouting, (await _h.RequestAsync(id)).Status);
        Assert.Contains("1 waiting request", await _h.InChannelAsync("register tier 2", ReviewHarness.Admin, ReviewHarness.Tier2Channel));
        var posted = await _h.PostedAsync(id);

        var template = posted;
        var workflow = _h.Bot.Services.GetRequiredService<RequestWorkflow>();
        for (var trial = 0; trial < 10; trial++)
        {
            var created = await _h.Requests.CreateAsync(template with { Id = "", Status = RequestStatus.Submitted, ReviewCard = null, ReviewCycle = 0 });
            await workflow.ApplyAsync(created, [new RequestStep(RequestAction.SendForReview, RequestActors.FusionBot, RequestRole.System)], CancellationToken.None);

            var answers = await Task.WhenAll(
                _h.ClickAsync("review.approve", created.Id, TeamsUser.Reviewer),
                _h.ClickAsync("review.approve", created.Id, ReviewHarness.SecondReviewer));

            Assert.Single(await _h.HistoryAsync(created.Id), e => e.Action == "Approved");
            Assert.Single(answers, a => a.ToJsonString().Contains("already approved by", StringComparison.Ordinal));
        }
    }
}
