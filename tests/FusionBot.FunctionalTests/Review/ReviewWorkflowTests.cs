using System.Text.Json.Nodes;
using FusionBot.Features.Sla;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.TestKit;
using FusionBot.TestKit.Cards;
using FusionBot.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace FusionBot.FunctionalTests.Review;

/// <summary>The review workflow over HTTP: channel routing, cards in threads, decisions from the card, maker follow-ups.</summary>
public sealed class ReviewWorkflowTests : IAsyncLifetime
{
    private ReviewHarness _h = null!;

    public async Task InitializeAsync() => _h = await ReviewHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static string Text(JsonObject invokeAnswer) => invokeAnswer.ToJsonString();

    private static JsonObject Comment(string text) => new() { ["comment"] = text };

    [Fact]
    public async Task A_maker_who_blocked_the_bot_is_not_told_of_the_decision_and_that_is_on_the_history()
    {
        await _h.RegisterAsync(2, ReviewHarness.Tier2Channel);
        var id = await _h.SubmitAsync(2);
        var request = await _h.PostedAsync(id);
        _h.Connector.BlockConversation(_h.Bot.Activities.PersonalConversation().Id!);

        await _h.ClickAsync("review.reject", id, TeamsUser.Reviewer, Comment("Duplicates the HR app"));

        await _h.ThreadReplyAsync(request.ReviewCard!, "rejected it");
        var failed = await WaitForHistoryAsync(id, RequestActions.NotificationFailed);
        Assert.Equal(RequestActors.FusionBot, failed.Actor);
        Assert.Contains("Message to the maker: Connector 403 MessageWritesBlocked", failed.Comment, StringComparison.Ordinal);
        var rejected = Assert.Single(await _h.HistoryAsync(id), e => e.Action == RequestActions.Rejected);
        Assert.Equal(TeamsUser.Reviewer.AadObjectId, rejected.Actor.AadObjectId);
    }

    private async Task<RequestHistoryEvent> WaitForHistoryAsync(string id, string action)
    {
        for (var i = 0; i < 200; i++)
        {
            if ((await _h.HistoryAsync(id)).FirstOrDefault(e => e.Action == action) is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{id} never recorded {action}.");
    }

    [Fact]
    public async Task Admins_register_unregister_and_list_channels_and_others_are_refused()
    {
        Assert.Contains("Only CoE admins", await _h.InChannelAsync("register tier 2", TeamsUser.Reviewer, ReviewHarness.Tier2Channel));
        Assert.Contains("Only CoE admins", await _h.InChannelAsync("channels", ReviewHarness.Outsider, ReviewHarness.Tier2Channel));

        Assert.Contains("Tier 2 reviews now go to this channel", await _h.InChannelAsync("register tier 2", ReviewHarness.Admin, ReviewHarness.Tier2Channel));
        Assert.Contains("Tier 3 reviews now go", await _h.InChannelAsync("register tier 3", ReviewHarness.Admin, ReviewHarness.Tier2Channel));
        Assert.Contains("community digests now go", await _h.InChannelAsync("register community", ReviewHarness.Admin, ReviewHarness.Tier4Channel));

        var listed = await _h.InChannelAsync("channels", ReviewHarness.Admin, ReviewHarness.Tier4Channel);
        Assert.Contains($"Tier 2 reviews: {ReviewHarness.Tier2Channel}", listed.Replace("\\", "", StringComparison.Ordinal));
        Assert.Contains($"Tier 3 reviews: {ReviewHarness.Tier2Channel}", listed.Replace("\\", "", StringComparison.Ordinal));
        Assert.Contains("Tier 4 reviews: not set", listed);

        Assert.Contains("no longer go", await _h.InChannelAsync("unregister tier 3", ReviewHarness.Admin, ReviewHarness.Tier2Channel));
        Assert.Contains("was not registered", await _h.InChannelAsync("unregister tier 4", ReviewHarness.Admin, ReviewHarness.Tier2Channel));
        Assert.Contains("Tier 3 reviews: not set", await _h.InChannelAsync("channels", ReviewHarness.Admin, ReviewHarness.Tier2Channel));
    }

    [Fact]
    public async Task Tier_2_card_goes_to_the_channel_thread_and_an_approval_updates_card_thread_and_maker()
    {
        await _h.RegisterAsync(2, ReviewHarness.Tier2Channel);
        var id = await _h.SubmitAsync(2);

        var post = await _h.CardPostedAsync(id);
        Assert.Equal(ReviewHarness.Tier2Channel, post.Parameters!.ChannelData!["channel"]!["id"]!.GetValue<string>());
        Assert.True(post.Parameters.IsGroup);
        Assert.Contains("Tier 2", post.Activity!.Summary);
        var request = await _h.PostedAsync(id);
        Assert.Equal(RequestStatus.PendingReview, request.Status);
        Assert.Equal(1, request.ReviewCycle);
        var entered = (await _h.HistoryAsync(id)).Last(e => e.Action == "SentForReview").At;
        Assert.Equal(entered + TimeSpan.FromHours(48), request.DueAt);
        var dueWork = _h.Bot.Services.GetRequiredService<IDueWorkStore>();
        var breachItem = $"sla:{id}:1:{SlaPoint.BreachKey}";
        Assert.Equal(DueWorkState.Pending, (await dueWork.GetStatusAsync(breachItem))!.State);

        var answer = await _h.ClickAsync("review.approve", id, TeamsUser.Reviewer, Comment("Looks good"));
        Assert.Equal(AdaptiveCardInvokeResponse.CardType, answer["type"]!.GetValue<string>());
        Assert.Contains("Approved by Ravi Reviewer", Text(answer));
        Assert.DoesNotContain("Action.Execute", Text(answer));

        await _h.CardUpdatedAsync(request.ReviewCard!, "Approved by Ravi Reviewer");
        await _h.ThreadReplyAsync(request.ReviewCard!, "Ravi Reviewer");
        await _h.MakerToldAsync("approved");
        var decided = await _h.RequestAsync(id);
        Assert.Equal(RequestStatus.Approved, decided.Status);
        Assert.Equal(TeamsUser.Reviewer.AadObjectId, decided.Reviewer!.AadObjectId);
        Assert.Single(await _h.HistoryAsync(id), e => e.Action == "Approved");
        Assert.Null(await dueWork.GetStatusAsync(breachItem));
        await AdaptiveCardValidator.AssertValidAsync([.. _h.AllCards]);
    }

    [Fact]
    public async Task A_request_without_a_channel_waits_and_is_posted_when_its_tier_is_registered()
    {
        var id = await _h.SubmitAsync(2);
        Assert.Equal(RequestStatus.PendingRouting, (await _h.RequestAsync(id)).Status);
        await _h.MakerToldAsync("waiting");

        Assert.Contains("1 waiting request", await _h.InChannelAsync("register tier 2", ReviewHarness.Admin, ReviewHarness.Tier2Channel));

        var post = await _h.CardPostedAsync(id);
        Assert.Equal(ReviewHarness.Tier2Channel, post.Parameters!.ChannelData!["channel"]!["id"]!.GetValue<string>());
        Assert.Equal(RequestStatus.PendingReview, (await _h.PostedAsync(id)).Status);
        Assert.Single(_h.Connector.Calls, c => c.Body.Contains("is waiting", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Many_makers_confirming_at_once_without_a_channel_all_wait_and_are_all_posted_on_register()
    {
        // Regression: the waiting index was one shared row per tier, so concurrent confirms failed with 500s.
        var makers = Enumerable.Range(1, 12)
            .Select(i => new TeamsUser($"29:maker-many-{i}", $"Maker {i}", $"a{i:D7}-1111-1111-1111-111111111111"))
            .ToList();
        await Task.WhenAll(makers.Select(async maker =>
        {
            foreach (var text in new[] { "new request", $"Tracker {maker.Name}", "Track expenses", "Power Apps", "My department", "30", "SharePoint", "Internal", "None", "skip" })
            {
                await _h.Bot.SayAsync(text, maker);
            }

            Assert.Contains(await _h.Bot.SayAsync("confirm", maker), r => r.Summary?.Contains("submitted", StringComparison.Ordinal) == true);
        }));

        Assert.Contains("12 waiting request", await _h.InChannelAsync("register tier 2", ReviewHarness.Admin, ReviewHarness.Tier2Channel));
        foreach (var maker in makers)
        {
            var id = Assert.Single(await _h.Requests.ListByMakerAsync(_h.Bot.Activities.TenantId, maker.Id, 5)).Id;
            Assert.Equal(RequestStatus.PendingReview, (await _h.PostedAsync(id)).Status);
        }
    }

    [Fact]
    public async Task The_maker_cannot_decide_their_own_request_and_non_reviewers_are_refused()
    {
        await _h.RegisterAsync(2, ReviewHarness.Tier2Channel);
        var id = await _h.SubmitAsync(2);
        await _h.PostedAsync(id);

        var own = await _h.ClickAsync("review.approve", id, TeamsUser.Maker);
        Assert.Equal(403, own["statusCode"]!.GetValue<int>());
        Assert.Contains("You submitted", Text(own));

        // Same person from another client: same Entra id, different Teams id.
        var sameAad = await _h.ClickAsync("review.approve", id, TeamsUser.Maker with { Id = "29:maker-other-client" });
        Assert.Equal(403, sameAad["statusCode"]!.GetValue<int>());

        var outsider = await _h.ClickAsync("review.approve", id, ReviewHarness.Outsider);
        Assert.Equal(403, outsider["statusCode"]!.GetValue<int>());
        Assert.Contains("Only pro-dev reviewers", Text(outsider));

        Assert.Equal(RequestStatus.PendingReview, (await _h.RequestAsync(id)).Status);
        Assert.DoesNotContain(await _h.HistoryAsync(id), e => e.Action == "Approved");
    }

    [Fact]
    public async Task An_outdated_card_shows_who_decided_and_nothing_is_decided_twice()
    {
        await _h.RegisterAsync(2, ReviewHarness.Tier2Channel);
        var id = await _h.SubmitAsync(2);
        await _h.PostedAsync(id);
        await _h.ClickAsync("review.approve", id, TeamsUser.Reviewer);

        var late = await _h.ClickAsync("review.reject", id, ReviewHarness.SecondReviewer, Comment("Too risky"));

        Assert.Equal(AdaptiveCardInvokeResponse.CardType, late["type"]!.GetValue<string>());
        Assert.Contains("already approved by Ravi Reviewer", Text(late));
        Assert.Equal(RequestStatus.Approved, (await _h.RequestAsync(id)).Status);
        Assert.DoesNotContain(await _h.HistoryAsync(id), e => e.Action == "Rejected");
    }

    [Fact]
    public async Task Required_comments_are_asked_for_and_changes_then_resubmit_bring_the_same_request_back_to_review()
    {
        await _h.RegisterAsync(2, ReviewHarness.Tier2Channel);
        var id = await _h.SubmitAsync(2);
        var posted = await _h.PostedAsync(id);

        var missing = await _h.ClickAsync("review.changes", id, TeamsUser.Reviewer);
        Assert.Equal(400, missing["statusCode"]!.GetValue<int>());
        Assert.Contains("comment box", Text(missing));
        Assert.Equal(RequestStatus.PendingReview, (await _h.RequestAsync(id)).Status);

        await _h.ClickAsync("review.changes", id, TeamsUser.Reviewer, Comment("Add an owner for the SharePoint list"));
        Assert.Equal(RequestStatus.ChangesRequested, (await _h.RequestAsync(id)).Status);
        await _h.MakerToldAsync("Add an owner for the SharePoint list");
        await _h.MakerToldAsync($"resubmit {id}");

        var reopened = await _h.Bot.SayAsync($"resubmit {id}");
        Assert.Contains(reopened, a => a.Attachments?.Any(x => x.Content!.ToJsonString().Contains("Tier 2", StringComparison.Ordinal)) == true);
        var confirmed = await _h.Bot.SayAsync("confirm");
        Assert.Contains(confirmed, a => a.Text?.Contains($"Resubmitted {id}", StringComparison.Ordinal) == true);

        var again = await _h.RequestAsync(id);
        Assert.Equal(RequestStatus.PendingReview, again.Status);
        Assert.Equal(2, again.ReviewCycle);
        Assert.Equal(posted.ReviewCard, again.ReviewCard);
        Assert.Single(await _h.Requests.ListByMakerAsync(_h.Bot.Activities.TenantId, TeamsUser.Maker.Id, 10));
        Assert.Contains(await _h.HistoryAsync(id), e => e.Action == "Resubmitted");
        await _h.ThreadReplyAsync(again.ReviewCard!, "resubmitted");
        await _h.CardUpdatedAsync(again.ReviewCard!, "review.approve");
        await AdaptiveCardValidator.AssertValidAsync([.. _h.AllCards]);
    }

    [Fact]
    public async Task Withdrawing_closes_the_review_card()
    {
        await _h.RegisterAsync(2, ReviewHarness.Tier2Channel);
        var id = await _h.SubmitAsync(2);
        var posted = await _h.PostedAsync(id);

        await _h.Bot.SayAsync($"withdraw {id}");

        var update = await _h.CardUpdatedAsync(posted.ReviewCard!, "Withdrawn by Mia Maker");
        Assert.DoesNotContain("review.approve", update.Body);
        await _h.ThreadReplyAsync(posted.ReviewCard!, "Withdrawn by the maker");
    }

    [Fact]
    public async Task A_title_full_of_markdown_and_html_renders_inert_on_every_card()
    {
        const string title = "# **Boss** <script>x</script> [go](https://evil.example) {{DATE(2020-01-01)}}";
        await _h.RegisterAsync(2, ReviewHarness.Tier2Channel);
        var id = await _h.SubmitAsync(2, title);
        await _h.PostedAsync(id);
        await _h.ClickAsync("review.approve", id, TeamsUser.Reviewer, Comment("<b>fine</b> _really_"));
        var request = await _h.RequestAsync(id);
        await _h.CardUpdatedAsync(request.ReviewCard!, "Approved");

        var reviewCards = _h.AllCards.Where(c => c.ToJsonString().Contains(id, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(reviewCards);
        foreach (var card in reviewCards)
        {
            // The reviewer's comment is on the cards after the decision; the maker's title on all of them.
            var decided = card.ToJsonString().Contains("Approved by", StringComparison.Ordinal);
            AdaptiveCardValidator.AssertUserTextInert(card, decided ? [title, "<b>fine</b> _really_"] : [title]);
        }

        Assert.Contains(reviewCards, c => c.ToJsonString().Contains("Approved by", StringComparison.Ordinal));

        await AdaptiveCardValidator.AssertValidAsync([.. reviewCards]);
    }

    [Fact]
    public async Task The_submit_fallback_decides_like_the_invoke()
    {
        await _h.RegisterAsync(2, ReviewHarness.Tier2Channel);
        var id = await _h.SubmitAsync(2);
        var posted = await _h.PostedAsync(id);

        var click = _h.Bot.Activities.ChannelMessageMentioningBot("", TeamsUser.Reviewer, channelId: ReviewHarness.Tier2Channel);
        click.Text = null;
        click.Entities = null;
        click.Value = new JsonObject { ["verb"] = "review.reject", ["requestId"] = id, ["comment"] = "Duplicate of FR-1" };
        await _h.Bot.TurnAsync(click);

        Assert.Equal(RequestStatus.Rejected, (await _h.RequestAsync(id)).Status);
        await _h.CardUpdatedAsync(posted.ReviewCard!, "Rejected by Ravi Reviewer");
        await _h.MakerToldAsync("Duplicate of FR-1");
    }

    [Fact]
    public async Task Reclassifying_moves_the_request_to_the_new_tiers_channel()
    {
        await _h.RegisterAsync(2, ReviewHarness.Tier2Channel);
        await _h.RegisterAsync(3, ReviewHarness.Tier3Channel);
        var id = await _h.SubmitAsync(2);
        var posted = await _h.PostedAsync(id);

        var answer = await _h.ClickAsync("review.reclassify", id, TeamsUser.Reviewer, new JsonObject { ["comment"] = "Reads HR data", ["newTier"] = "3" });
        Assert.Contains("Reclassified from Tier 2 to Tier 3", Text(answer));

        await _h.CardUpdatedAsync(posted.ReviewCard!, "Reclassified from Tier 2 to Tier 3");
        var newPost = await _h.Connector.WaitForAsync(c => c.Route == ConnectorRoute.CreateConversation
            && c.Body.Contains(ReviewHarness.Tier3Channel, StringComparison.Ordinal) && c.Body.Contains(id, StringComparison.Ordinal));
        Assert.NotNull(newPost);
        var moved = await _h.RequestAsync(id);
        Assert.Equal(3, moved.Tier);
        Assert.Equal(RequestStatus.PendingReview, moved.Status);
        Assert.Contains(await _h.HistoryAsync(id), e => e.Action == "Reclassified" && e.TierBefore == 2 && e.TierAfter == 3);
        await AdaptiveCardValidator.AssertValidAsync([.. _h.AllCards]);
    }
}
