using System.Text.Json.Nodes;
using FusionBot.Features.Portfolio;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.TestKit;
using FusionBot.TestKit.Azurite;
using static FusionBot.FunctionalTests.Requests.CrashConsistency;

namespace FusionBot.FunctionalTests.Requests;

/// <summary>Each lifecycle action, killed after every storage write and connector call, on the embedded SQLite store.</summary>
public sealed class CrashConsistencyOnSqliteTests() : CrashConsistencyTests(null);

/// <summary>Each lifecycle action, killed after every storage write and connector call, on Table Storage (azurite).</summary>
public sealed class CrashConsistencyOnTableStorageTests(AzuriteFixture azurite) : CrashConsistencyTests(azurite), IClassFixture<AzuriteFixture>;

public abstract class CrashConsistencyTests(AzuriteFixture? azurite) : IAsyncLifetime
{
    private CrashConsistency _c = null!;

    public async Task InitializeAsync() => _c = await CrashConsistency.StartAsync(azurite?.Server);

    public async Task DisposeAsync() => await _c.DisposeAsync();

    [Fact]
    public Task Confirm_creates_one_request_sent_for_review_with_one_card() => _c.RunAsync(
        async () =>
        {
            await _c.OpenSummaryAsync(2);
            return new Scene(null, (await MineAsync()).Count);
        },
        _ => _c.Say("confirm"),
        async scene => (await MineAsync()).Count > scene.RequestsBefore,
        async (scene, outcome) =>
        {
            var mine = await MineAsync();
            Assert.Equal(scene.RequestsBefore + 1, mine.Count);
            var request = mine[0];
            Assert.Equal(RequestStatus.PendingReview, request.Status);
            Assert.NotNull(request.ReviewCard);
            await AssertSettledAsync(request, RequestActions.Submitted, RequestActions.SentForReview);
            Assert.Contains(outcome.Texts(ConnectorRoute.CreateConversation), t => t.Contains(request.Id, StringComparison.Ordinal));
            Assert.Contains(MakerTexts(outcome), t => t.Contains($"Submitted: {request.Id}", StringComparison.Ordinal));
        });

    [Theory]
    [InlineData("review.approve", RequestStatus.Approved, RequestActions.Approved, "approved it", "was **approved**", null)]
    [InlineData("review.changes", RequestStatus.ChangesRequested, RequestActions.ChangesRequested, "requested changes", "asked for changes", "Add a test plan")]
    [InlineData("review.reject", RequestStatus.Rejected, RequestActions.Rejected, "rejected it", "was **rejected**", "Duplicates the HR app")]
    public Task A_decision_is_recorded_once_with_its_card_thread_and_maker_message(
        string verb, RequestStatus status, string action, string threadText, string makerText, string? comment) => _c.RunAsync(
        async () => new Scene(await _c.SeedAsync(2, inReview: true)),
        scene => _c.Click(verb, scene.Request!, comment is null ? null : new JsonObject { ["comment"] = comment }),
        async scene => (await _c.RequestAsync(scene.Request!.Id)).Status == status,
        async (scene, outcome) =>
        {
            var request = await _c.RequestAsync(scene.Request!.Id);
            Assert.Equal(status, request.Status);
            await AssertSettledAsync(request, RequestActions.Submitted, RequestActions.SentForReview, action);
            AssertCardShows(outcome, request.ReviewCard!, $"{status switch { RequestStatus.ChangesRequested => "Changes requested", _ => status.ToString() }} by Ravi Reviewer");
            Assert.Contains(outcome.Texts(ConnectorRoute.ReplyToActivity, request.ReviewCard!.ConversationId), t => t.Contains(threadText, StringComparison.Ordinal));
            Assert.Contains(MakerTexts(outcome), t => t.Contains(makerText, StringComparison.Ordinal));
            if (status == RequestStatus.Approved)
            {
                Assert.Equal(DueWorkState.Pending, (await _c.Get<IDueWorkStore>().GetStatusAsync(PortfolioReviews.AskId(request.Id, 1)))?.State);
            }
        });

    [Fact]
    public Task Reclassify_retires_the_card_and_sends_the_request_to_the_new_tier_once() => _c.RunAsync(
        async () => new Scene(await _c.SeedAsync(2, inReview: true)),
        scene => _c.Click("review.reclassify", scene.Request!, new JsonObject { ["comment"] = "Reads an external API", ["newTier"] = "3" }),
        async scene => (await _c.RequestAsync(scene.Request!.Id)).Tier == 3,
        async (scene, outcome) =>
        {
            var old = scene.Request!.ReviewCard!;
            var request = await _c.RequestAsync(scene.Request.Id);
            Assert.Equal((3, RequestStatus.PendingReview), (request.Tier, request.Status));
            await AssertSettledAsync(request, RequestActions.Submitted, RequestActions.SentForReview, RequestActions.Reclassified, RequestActions.SentForReview);
            AssertCardShows(outcome, old, "Reclassified from Tier 2 to Tier 3");
            Assert.Contains(outcome.Texts(ConnectorRoute.ReplyToActivity, old.ConversationId), t => t.Contains("Reclassified from Tier 2", StringComparison.Ordinal));
            Assert.Contains(MakerTexts(outcome), t => t.Contains("reclassified to **Tier 3**", StringComparison.Ordinal));
            Assert.StartsWith(Tier3Channel, request.ReviewCard!.ConversationId, StringComparison.Ordinal);
        });

    [Fact]
    public Task Take_ownership_is_recorded_once_with_its_card_thread_and_maker_message() => _c.RunAsync(
        async () => new Scene(await _c.SeedAsync(4, inReview: true)),
        scene => _c.Click("review.own", scene.Request!),
        async scene => (await _c.RequestAsync(scene.Request!.Id)).Status == RequestStatus.InDevelopment,
        async (scene, outcome) =>
        {
            var request = await _c.RequestAsync(scene.Request!.Id);
            Assert.Equal(RequestStatus.InDevelopment, request.Status);
            await AssertSettledAsync(request, RequestActions.Submitted, RequestActions.SentForReview, RequestActions.OwnershipTaken);
            AssertCardShows(outcome, request.ReviewCard!, "In development by Ravi Reviewer");
            Assert.Contains(outcome.Texts(ConnectorRoute.ReplyToActivity, request.ReviewCard!.ConversationId), t => t.Contains("took ownership", StringComparison.Ordinal));
            Assert.Contains(MakerTexts(outcome), t => t.Contains("took ownership of", StringComparison.Ordinal));
        });

    [Fact]
    public Task Withdraw_is_recorded_once_and_the_card_and_thread_follow() => _c.RunAsync(
        async () => new Scene(await _c.SeedAsync(2, inReview: true)),
        scene => _c.Say($"withdraw {scene.Request!.Id}"),
        async scene => (await _c.RequestAsync(scene.Request!.Id)).Status == RequestStatus.Withdrawn,
        async (scene, outcome) =>
        {
            var request = await _c.RequestAsync(scene.Request!.Id);
            Assert.Equal(RequestStatus.Withdrawn, request.Status);
            await AssertSettledAsync(request, RequestActions.Submitted, RequestActions.SentForReview, RequestActions.Withdrawn);
            AssertCardShows(outcome, request.ReviewCard!, "Withdrawn by Mia Maker");
            Assert.Contains(outcome.Texts(ConnectorRoute.ReplyToActivity, request.ReviewCard!.ConversationId), t => t.Contains("Withdrawn by the maker", StringComparison.Ordinal));
            Assert.Contains(MakerTexts(outcome), t => t.Contains($"Withdrawn: {request.Id}", StringComparison.Ordinal));
        });

    [Fact]
    public Task Resubmit_brings_the_same_request_back_into_review_once() => _c.RunAsync(
        async () =>
        {
            var request = await _c.SeedAsync(2, inReview: true);
            await _c.Get<RequestWorkflow>().ApplyAsync(request,
                [new RequestStep(RequestAction.RequestChanges, new Person(TeamsUser.Reviewer.Id, TeamsUser.Reviewer.AadObjectId, TeamsUser.Reviewer.Name), RequestRole.Reviewer) { Comment = "Add a test plan" }],
                CancellationToken.None);
            await _c.Bot.SayAsync($"resubmit {request.Id}");
            return new Scene(await _c.RequestAsync(request.Id));
        },
        _ => _c.Say("confirm"),
        async scene => (await _c.RequestAsync(scene.Request!.Id)).Status == RequestStatus.PendingReview,
        async (scene, outcome) =>
        {
            var request = await _c.RequestAsync(scene.Request!.Id);
            Assert.Equal((RequestStatus.PendingReview, 2), (request.Status, request.ReviewCycle));
            await AssertSettledAsync(request, RequestActions.Submitted, RequestActions.SentForReview, RequestActions.ChangesRequested,
                RequestActions.Resubmitted, RequestActions.SentForReview);
            AssertCardShows(outcome, request.ReviewCard!, "Pending review");
            Assert.Contains(outcome.Texts(ConnectorRoute.ReplyToActivity, request.ReviewCard!.ConversationId), t => t.Contains("resubmitted", StringComparison.Ordinal));
            Assert.Contains(MakerTexts(outcome), t => t.Contains($"Resubmitted {request.Id}", StringComparison.Ordinal));
        });

    [Fact]
    public Task Self_certification_is_recorded_once_and_schedules_the_first_periodic_review() => _c.RunAsync(
        async () => new Scene(await _c.SeedAsync(1, inReview: false)),
        scene => _c.Submit(new JsonObject
        {
            ["selfCertify"] = scene.Request!.Id, ["dataInTeam"] = "true", ["sharedWithTeam"] = "true", ["noSensitiveData"] = "true", ["ownersNamed"] = "true",
        }),
        async scene => (await _c.RequestAsync(scene.Request!.Id)).Status == RequestStatus.SelfCertified,
        async (scene, outcome) =>
        {
            var request = await _c.RequestAsync(scene.Request!.Id);
            Assert.Equal(RequestStatus.SelfCertified, request.Status);
            await AssertSettledAsync(request, RequestActions.Submitted, RequestActions.SelfCertified);
            Assert.Contains(MakerTexts(outcome), t => t.Contains($"Self-certified {request.Id}", StringComparison.Ordinal));
            Assert.Equal(DueWorkState.Pending, (await _c.Get<IDueWorkStore>().GetStatusAsync(PortfolioReviews.AskId(request.Id, 1)))?.State);
        });

    [Fact]
    public Task A_periodic_review_answer_is_recorded_once_and_schedules_the_next_round() => _c.RunAsync(
        SelfCertifiedAndAskedAsync,
        scene => AnswerPeriodicReview(scene, users: "6"),
        IsAnsweredAsync,
        async (scene, outcome) =>
        {
            var request = await _c.RequestAsync(scene.Request!.Id);
            Assert.NotNull(request.PortfolioCheck!.AnsweredAt);
            Assert.Equal(6, request.Answers.ExpectedUsers);
            await AssertSettledAsync(request, RequestActions.Submitted, RequestActions.SelfCertified, RequestActions.PortfolioReviewed);
            // Told through the outbox with the answer, so also when the turn died right after recording it.
            Assert.Contains(MakerTexts(outcome), t => t.Contains($"Thanks! {request.Id} stays in Tier 1", StringComparison.Ordinal));
            Assert.Equal(DueWorkState.Pending, (await _c.Get<IDueWorkStore>().GetStatusAsync(PortfolioReviews.AskId(request.Id, 2)))?.State);
        });

    [Fact]
    public Task A_periodic_review_answer_that_outgrew_its_tier_sends_it_back_to_review_with_one_card() => _c.RunAsync(
        SelfCertifiedAndAskedAsync,
        scene => AnswerPeriodicReview(scene, users: "120"),
        IsAnsweredAsync,
        async (scene, outcome) =>
        {
            var request = await _c.RequestAsync(scene.Request!.Id);
            Assert.Equal((3, RequestStatus.PendingReview), (request.Tier, request.Status));
            await AssertSettledAsync(request, RequestActions.Submitted, RequestActions.SelfCertified, RequestActions.OutgrewTier, RequestActions.SentForReview);
            Assert.StartsWith(Tier3Channel, request.ReviewCard!.ConversationId, StringComparison.Ordinal);
            Assert.Contains(outcome.Texts(ConnectorRoute.CreateConversation), t => t.Contains(request.Id, StringComparison.Ordinal));
            Assert.Contains(MakerTexts(outcome), t => t.Contains($"{request.Id} is now **Tier 3**", StringComparison.Ordinal));
        });

    /// <summary>A Tier 1 solution, self-certified and asked its first periodic review.</summary>
    private async Task<Scene> SelfCertifiedAndAskedAsync()
    {
        var request = await _c.SeedAsync(1, inReview: false);
        await _c.Get<RequestWorkflow>().ApplyAsync(request,
            [new RequestStep(RequestAction.SelfCertify, request.Maker, RequestRole.Maker)], CancellationToken.None);
        request = await _c.RequestAsync(request.Id);
        return new Scene(await _c.Get<IRequestStore>().UpdateAsync(request with { PortfolioCheck = new PortfolioCheck(1, request.UpdatedAt) }));
    }

    /// <summary>The maker submits the periodic review card: <paramref name="users"/> users, still their team, no data sources.</summary>
    private Protocol.Models.Activity AnswerPeriodicReview(Scene scene, string users) => _c.Submit(new JsonObject
    {
        [PortfolioReviewCard.RequestKey] = scene.Request!.Id, [PortfolioReviewCard.RoundKey] = "1", [PortfolioReviewCard.UsersKey] = users,
        [PortfolioReviewCard.AudienceKey] = "MyTeam", [PortfolioReviewCard.SourcesKey] = "none",
    });

    private async Task<bool> IsAnsweredAsync(Scene scene) => (await _c.RequestAsync(scene.Request!.Id)).PortfolioCheck?.AnsweredAt is not null;

    private async Task<IReadOnlyList<GovernanceRequest>> MineAsync() =>
        await _c.Get<IRequestStore>().ListByMakerAsync(_c.Bot.Activities.TenantId, TeamsUser.Maker.Id, 100);

    /// <summary>What reached the maker's 1:1: proactive messages and replies to what they typed.</summary>
    private IReadOnlyList<string> MakerTexts(Outcome outcome) =>
        [.. outcome.Texts(ConnectorRoute.SendToConversation, _c.Bot.Activities.PersonalConversation().Id),
            .. outcome.Texts(ConnectorRoute.ReplyToActivity, _c.Bot.Activities.PersonalConversation().Id)];

    /// <summary>Nothing left pending on the request, and its history is exactly these events, each once, in order.</summary>
    private async Task AssertSettledAsync(GovernanceRequest request, params string[] actions)
    {
        Assert.Empty(request.Pending);
        var history = await _c.HistoryAsync(request.Id);
        Assert.Equal(actions, history.Select(e => e.Action));
        Assert.All(history.Where(e => e.Action is RequestActions.SentForReview), e => Assert.Equal(RequestActors.FusionBot, e.Actor));
    }

    /// <summary>The last version of the channel card says <paramref name="text"/> and offers no button any more.</summary>
    private static void AssertCardShows(Outcome outcome, ChannelMessage card, string text)
    {
        var last = outcome.Calls.LastOrDefault(c => c.Route == ConnectorRoute.UpdateActivity && c.ActivityId == card.ActivityId);
        Assert.NotNull(last);
        Assert.Contains(text, last.Body, StringComparison.Ordinal);
        if (!text.StartsWith("Pending", StringComparison.Ordinal) && !text.StartsWith("In development", StringComparison.Ordinal))
        {
            Assert.DoesNotContain("Action.Execute", last.Body, StringComparison.Ordinal);
        }
    }
}
