using System.Text.Json.Nodes;
using FusionBot.Features.Outbox;
using FusionBot.Features.Portfolio;
using FusionBot.FunctionalTests.Review;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.TestKit;
using FusionBot.TestKit.Cards;
using Microsoft.Extensions.DependencyInjection;

namespace FusionBot.FunctionalTests.Portfolio;

/// <summary>
/// Periodic reviews through the real app: a Tier 1 solution is self-certified over HTTP, its review item is taken
/// from the outbox and run by its handler (the 90-day wait skipped), and the maker answers the card it sent.
/// Follow-ups (reminder, overdue notices) are run the same way.
/// </summary>
public sealed class PortfolioReviewTests : IAsyncLifetime
{
    private ReviewHarness _h = null!;

    public async Task InitializeAsync() => _h = await ReviewHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private T Get<T>()
        where T : notnull => _h.Bot.Services.GetRequiredService<T>();

    /// <summary>The maker walks intake to a Tier 1 request (saying it saves 3 hours a week) and certifies it.</summary>
    private async Task<string> SelfCertifiedAsync()
    {
        foreach (var text in new[] { "new request", "Team rota", "Plan who is on call", "Power Apps", "My team", "8", "none", "Internal", "None", "3", "confirm" })
        {
            await _h.Bot.SayAsync(text);
        }

        var id = Assert.Single(await _h.Requests.ListByMakerAsync(_h.Bot.Activities.TenantId, TeamsUser.Maker.Id, 5)).Id;
        await _h.Bot.SubmitAsync(new JsonObject
        {
            ["selfCertify"] = id, ["dataInTeam"] = "true", ["sharedWithTeam"] = "true", ["noSensitiveData"] = "true", ["ownersNamed"] = "true",
        });
        Assert.Equal(RequestStatus.SelfCertified, (await _h.RequestAsync(id)).Status);
        return id;
    }

    /// <summary>Runs the pending outbox item <paramref name="id"/> with its registered handler, as the worker would when it is due.</summary>
    private async Task RunOutboxItemAsync(string id)
    {
        var status = await Get<IDueWorkStore>().GetStatusAsync(id);
        Assert.NotNull(status);
        Assert.Equal(DueWorkState.Pending, status.State);
        using var scope = _h.Bot.Services.CreateScope();
        var handler = scope.ServiceProvider.GetServices<IOutboxHandler>().Single(h => h.Kind == status.Item!.Kind);
        await handler.HandleAsync(status.Item!, CancellationToken.None);
    }

    private JsonObject ReviewCardSentTo(string id) =>
        _h.Bot.CardsSent().Last(c => c.ToJsonString().Contains(PortfolioReviewCard.RequestKey, StringComparison.Ordinal)
            && c.ToJsonString().Contains(id, StringComparison.Ordinal));

    private static JsonObject Answer(string id, string users, string audience = "MyTeam", string sources = "none", string round = "1") => new()
    {
        [PortfolioReviewCard.RequestKey] = id,
        [PortfolioReviewCard.RoundKey] = round,
        [PortfolioReviewCard.UsersKey] = users,
        [PortfolioReviewCard.AudienceKey] = audience,
        [PortfolioReviewCard.SourcesKey] = sources,
    };

    [Fact]
    public async Task A_solution_that_grew_to_120_users_leaves_Tier_1_and_goes_back_to_review_in_Tier_3()
    {
        await _h.RegisterAsync(3, ReviewHarness.Tier3Channel);
        var id = await SelfCertifiedAsync();

        await RunOutboxItemAsync(PortfolioReviews.AskId(id, 1));

        var card = ReviewCardSentTo(id);
        Assert.Contains("still about 8 users", card.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("8", card["body"]!.AsArray().Single(e => e?["id"]?.GetValue<string>() == PortfolioReviewCard.UsersKey)!["value"]!.GetValue<string>());
        Assert.NotNull(await Get<IDueWorkStore>().GetStatusAsync(PortfolioReviews.ReminderId(id, 1)));

        await _h.Bot.SubmitAsync(Answer(id, "120"));

        // The outcome goes through the outbox, with the recorded answer.
        var told = await _h.MakerToldAsync("is now **Tier 3**");
        Assert.Contains("outgrew Tier 1", told.Body, StringComparison.Ordinal);
        var request = await _h.RequestAsync(id);
        Assert.Equal(3, request.Tier);
        Assert.Equal(RequestStatus.PendingReview, request.Status);
        Assert.Equal(120, request.Answers.ExpectedUsers);
        Assert.Equal(1, request.PortfolioCheck!.OutgrewTier);
        var history = await _h.HistoryAsync(id);
        var outgrew = Assert.Single(history, e => e.Action == RequestActions.OutgrewTier);
        Assert.StartsWith("outgrew Tier 1", outgrew.Comment, StringComparison.Ordinal);
        Assert.Contains("120 users", outgrew.Comment, StringComparison.Ordinal);
        Assert.Equal((1, 3), (outgrew.TierBefore, outgrew.TierAfter));
        Assert.Contains(history, e => e.Action == RequestActions.SentForReview);
        await _h.CardPostedAsync(id);

        // The round is answered: the card again, or the reminder, changes nothing.
        Assert.Contains("already answered", string.Join(" ", (await _h.Bot.SubmitAsync(Answer(id, "8"))).Select(a => a.Text)), StringComparison.Ordinal);
        await RunOutboxItemAsync(PortfolioReviews.ReminderId(id, 1));
        Assert.Equal(3, (await _h.RequestAsync(id)).Tier);

        await AdaptiveCardValidator.AssertValidAsync([.. _h.Bot.CardsSent()]);
    }

    [Fact]
    public async Task Same_tier_answers_are_recorded_and_the_next_review_is_scheduled_once()
    {
        var id = await SelfCertifiedAsync();
        await RunOutboxItemAsync(PortfolioReviews.AskId(id, 1));

        await _h.Bot.SubmitAsync(Answer(id, "12"));

        // The outcome goes through the outbox, with the recorded answer.
        await _h.MakerToldAsync("stays in Tier 1");
        var request = await _h.RequestAsync(id);
        Assert.Equal((1, RequestStatus.SelfCertified, 12), (request.Tier, request.Status, request.Answers.ExpectedUsers));
        Assert.NotNull(request.PortfolioCheck!.AnsweredAt);
        Assert.Single(await _h.HistoryAsync(id), e => e.Action == RequestActions.PortfolioReviewed);
        var next = await Get<IDueWorkStore>().GetStatusAsync(PortfolioReviews.AskId(id, 2));
        Assert.Equal(DueWorkState.Pending, next!.State);
        Assert.True(next.Item!.DueAt > DateTimeOffset.UtcNow.AddDays(89));

        // Round 2 runs: a new card, prefilled with the new count.
        await RunOutboxItemAsync(PortfolioReviews.AskId(id, 2));
        Assert.Contains("still about 12 users", ReviewCardSentTo(id).ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(2, (await _h.RequestAsync(id)).PortfolioCheck!.Round);
    }

    [Fact]
    public async Task An_unanswered_review_is_reminded_then_each_CoE_admin_is_told_once_that_it_is_overdue()
    {
        await _h.Bot.SayAsync("help", ReviewHarness.Admin); // the admin has the bot installed: a 1:1 to write to
        var id = await SelfCertifiedAsync();
        await RunOutboxItemAsync(PortfolioReviews.AskId(id, 1));
        var overdue = await Get<IDueWorkStore>().GetStatusAsync(PortfolioReviews.OverdueId(id, 1));
        var askedAt = (await _h.RequestAsync(id)).PortfolioCheck!.AskedAt;
        Assert.Equal(askedAt + TimeSpan.FromDays(28), overdue!.Item!.DueAt);

        await RunOutboxItemAsync(PortfolioReviews.ReminderId(id, 1));
        await RunOutboxItemAsync(PortfolioReviews.OverdueId(id, 1));

        var notice = new PortfolioOverduePayload(_h.Bot.Activities.TenantId, id, 1, ReviewHarness.Admin.AadObjectId);
        Assert.Single(await _h.HistoryAsync(id), e => e.Action == RequestActions.PortfolioReviewOverdue);
        // The notice is due at once: the app's own outbox worker sends it.
        var told = await _h.Connector.WaitForAsync(c => c.ConversationId == _h.Bot.Activities.PersonalConversation(ReviewHarness.Admin).Id
            && c.Body.Contains("is overdue", StringComparison.Ordinal));
        Assert.Contains(id, told.Body, StringComparison.Ordinal);
        Assert.Contains("portfolio overdue", told.Body, StringComparison.Ordinal);

        await WaitForStateAsync(notice.ItemId, DueWorkState.Completed);

        // Run again (a crash before the overdue item completed): the sent notice is not queued a second time. Queuing
        // it again would make it Pending at once, so Completed right after the run proves it was not.
        using (var scope = _h.Bot.Services.CreateScope())
        {
            var handler = scope.ServiceProvider.GetServices<IOutboxHandler>().Single(h => h.Kind == PortfolioReviews.OverdueKind);
            await handler.HandleAsync((await Get<IDueWorkStore>().GetStatusAsync(PortfolioReviews.OverdueId(id, 1)))!.Item!, CancellationToken.None);
        }

        Assert.Equal(DueWorkState.Completed, (await Get<IDueWorkStore>().GetStatusAsync(notice.ItemId))!.State);
        Assert.Single(_h.Connector.Calls, c => c.ConversationId == _h.Bot.Activities.PersonalConversation(ReviewHarness.Admin).Id
            && c.Body.Contains("is overdue", StringComparison.Ordinal));
    }

    /// <summary>Waits (up to 10 s) for the app's outbox worker to bring item <paramref name="id"/> to <paramref name="state"/>.</summary>
    private async Task WaitForStateAsync(string id, DueWorkState state)
    {
        for (var i = 0; i < 200; i++)
        {
            if ((await Get<IDueWorkStore>().GetStatusAsync(id))?.State == state)
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"Outbox item {id} did not reach {state}.");
    }

    [Fact]
    public async Task An_admin_of_another_tenant_is_not_told()
    {
        var elsewhere = _h.Bot.Activities.PersonalConversation(ReviewHarness.Admin);
        elsewhere.TenantId = "another-tenant";
        await Get<IConversationReferenceStore>().SaveForUserAsync("another-tenant", ReviewHarness.Admin.AadObjectId, ReviewHarness.Admin.Id, new FusionBot.Protocol.Models.ConversationReference
        {
            Conversation = elsewhere,
            ServiceUrl = _h.Connector.ServiceUrl,
            ChannelId = "msteams",
            TenantId = "another-tenant",
        });
        var id = await SelfCertifiedAsync();
        await RunOutboxItemAsync(PortfolioReviews.AskId(id, 1));
        await RunOutboxItemAsync(PortfolioReviews.OverdueId(id, 1));

        await WaitForStateAsync(new PortfolioOverduePayload(_h.Bot.Activities.TenantId, id, 1, ReviewHarness.Admin.AadObjectId).ItemId, DueWorkState.Completed);

        Assert.DoesNotContain(_h.Connector.Calls, c => c.Body.Contains("is overdue", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_answered_review_is_never_overdue()
    {
        var id = await SelfCertifiedAsync();
        await RunOutboxItemAsync(PortfolioReviews.AskId(id, 1));
        await _h.Bot.SubmitAsync(Answer(id, "8"));

        await RunOutboxItemAsync(PortfolioReviews.OverdueId(id, 1));

        var notice = new PortfolioOverduePayload(_h.Bot.Activities.TenantId, id, 1, ReviewHarness.Admin.AadObjectId);
        Assert.Null(await Get<IDueWorkStore>().GetStatusAsync(notice.ItemId));
        Assert.DoesNotContain(await _h.HistoryAsync(id), e => e.Action == RequestActions.PortfolioReviewOverdue);
    }

    [Fact]
    public async Task A_solution_that_shrank_is_re_classified_to_the_lower_tier_without_a_new_review()
    {
        await _h.RegisterAsync(3, ReviewHarness.Tier3Channel);
        var id = await SelfCertifiedAsync();
        await RunOutboxItemAsync(PortfolioReviews.AskId(id, 1));
        await _h.Bot.SubmitAsync(Answer(id, "120"));
        await _h.PostedAsync(id);
        await _h.ClickAsync("review.approve", id, ReviewHarness.Admin);
        Assert.Equal(RequestStatus.Approved, (await _h.RequestAsync(id)).Status);
        await RunOutboxItemAsync(PortfolioReviews.AskId(id, 2));

        await _h.Bot.SubmitAsync(Answer(id, "10", round: "2"));

        // The outcome goes through the outbox, with the recorded answer.
        await _h.MakerToldAsync("now fits **Tier 1** (it was Tier 3)");
        var request = await _h.RequestAsync(id);
        Assert.Equal((1, RequestStatus.Approved), (request.Tier, request.Status));
        var lowered = Assert.Single(await _h.HistoryAsync(id), e => e.Action == RequestActions.TierLowered);
        Assert.Equal((3, 1), (lowered.TierBefore, lowered.TierAfter));
        Assert.Equal(DueWorkState.Pending, (await Get<IDueWorkStore>().GetStatusAsync(PortfolioReviews.AskId(id, 3)))!.State);
    }

    [Fact]
    public async Task A_tier_a_reviewer_raised_is_neither_undone_nor_re_reviewed_by_the_same_answers()
    {
        await _h.RegisterAsync(2, ReviewHarness.Tier2Channel);
        await _h.RegisterAsync(3, ReviewHarness.Tier3Channel);
        var id = await _h.SubmitAsync(2);
        await _h.PostedAsync(id);
        await _h.ClickAsync("review.reclassify", id, ReviewHarness.Admin, new JsonObject { ["newTier"] = "3", ["comment"] = "Payroll data after all" });
        for (var i = 0; i < 200 && (await _h.RequestAsync(id)).ReviewCard?.ConversationId != ReviewHarness.Tier3Channel; i++)
        {
            await Task.Delay(50); // the card moves to the Tier 3 channel through the outbox
        }

        Assert.Equal(3, (await _h.RequestAsync(id)).Tier);
        await _h.ClickAsync("review.approve", id, ReviewHarness.Admin);
        Assert.Equal(RequestStatus.Approved, (await _h.RequestAsync(id)).Status);
        await RunOutboxItemAsync(PortfolioReviews.AskId(id, 1));
        var asked = await _h.RequestAsync(id);

        await _h.Bot.SubmitAsync(Answer(id, asked.Answers.ExpectedUsers!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            asked.Answers.Audience!.Value.ToString(), string.Join(",", asked.Answers.DataSources!)));

        // The outcome goes through the outbox, with the recorded answer.
        await _h.MakerToldAsync("stays in Tier 3");
        var request = await _h.RequestAsync(id);
        Assert.Equal((3, RequestStatus.Approved), (request.Tier, request.Status));
        Assert.DoesNotContain(await _h.HistoryAsync(id), e => e.Action is RequestActions.TierLowered or RequestActions.OutgrewTier);
    }

    [Fact]
    public async Task An_outgrown_solution_stays_listed_as_outgrown_when_its_next_review_is_asked()
    {
        await _h.RegisterAsync(3, ReviewHarness.Tier3Channel);
        var id = await SelfCertifiedAsync();
        await RunOutboxItemAsync(PortfolioReviews.AskId(id, 1));
        await _h.Bot.SubmitAsync(Answer(id, "120"));
        await _h.PostedAsync(id);
        await _h.ClickAsync("review.approve", id, ReviewHarness.Admin);

        await RunOutboxItemAsync(PortfolioReviews.AskId(id, 2));
        Assert.Equal(1, (await _h.RequestAsync(id)).PortfolioCheck!.OutgrewTier);
        await _h.Bot.SubmitAsync(Answer(id, "130", round: "2"));

        var check = (await _h.RequestAsync(id)).PortfolioCheck!;
        Assert.Equal((2, 1), (check.Round, check.OutgrewTier));
        // The card lists the request only under "Outgrew their tier" (its review is answered, so not overdue).
        var portfolio = string.Join(" ", (await _h.Bot.SayAsync("portfolio", ReviewHarness.Admin)).Select(a => a.Attachments?[0].Content?.ToJsonString()));
        Assert.Contains("Outgrew their tier", portfolio, StringComparison.Ordinal);
        Assert.Contains(id, portfolio, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_answer_shows_the_card_again_with_the_reason_and_changes_nothing()
    {
        var id = await SelfCertifiedAsync();
        await RunOutboxItemAsync(PortfolioReviews.AskId(id, 1));

        var replies = await _h.Bot.SubmitAsync(Answer(id, "lots"));

        Assert.Contains(replies, a => a.Attachments?.Any(x => x.Content!.ToJsonString().Contains("not a number", StringComparison.Ordinal)) == true);
        Assert.Null((await _h.RequestAsync(id)).PortfolioCheck!.AnsweredAt);
        Assert.DoesNotContain("already answered", string.Join(" ", (await _h.Bot.SubmitAsync(Answer(id, "9"))).Select(a => a.Text)), StringComparison.Ordinal);
    }
}
