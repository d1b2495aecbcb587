using System.Text.Json.Nodes;
using FusionBot.Features.Review;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.TestKit;
using FusionBot.TestKit.Cards;

namespace FusionBot.FunctionalTests.Review;

/// <summary>
/// The review card in a channel whose roster Teams lists: it refreshes for the reviewers among the members and the
/// maker, each gets their own view, a reviewer claims it, a second one decides from the card, and the maker is told.
/// </summary>
public sealed class ReviewCardReadersTests : IAsyncLifetime
{
    private ReviewHarness _h = null!;

    public async Task InitializeAsync() => _h = await ReviewHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static TeamsChannelAccount Member(TeamsUser user) => new() { Id = user.Id, Name = user.Name, AadObjectId = user.AadObjectId };

    private static JsonObject Card(RecordedCall call) => call.Activity!.Attachments![0].Content!.AsObject();

    private static List<string> Verbs(JsonNode? node) => node switch
    {
        JsonObject { } o when (string?)o["type"] == "Action.Execute" => [(string)o["verb"]!],
        JsonObject { } o => [.. o.Where(p => p.Key != "refresh").SelectMany(p => Verbs(p.Value))],
        JsonArray a => [.. a.SelectMany(Verbs)],
        _ => [],
    };

    [Fact]
    public async Task Each_reader_gets_their_view_a_reviewer_claims_a_second_decides_from_the_card_and_the_maker_is_told()
    {
        _h.Connector.SetRoster(ReviewHarness.Tier2Channel,
            Member(TeamsUser.Maker), Member(TeamsUser.Reviewer), Member(ReviewHarness.Outsider), Member(ReviewHarness.SecondReviewer));
        await _h.RegisterAsync(2, ReviewHarness.Tier2Channel);
        var id = await _h.SubmitAsync(2);

        // The channel sees the status; Teams refreshes the card for the two reviewers and the maker.
        var posted = Card(await _h.CardPostedAsync(id));
        Assert.Equal([TeamsUser.Reviewer.Id, ReviewHarness.SecondReviewer.Id, TeamsUser.Maker.Id],
            posted["refresh"]!["userIds"]!.AsArray().Select(u => (string)u!));
        Assert.Equal(ReviewVerbs.Refresh, (string)posted["refresh"]!["action"]!["verb"]!);
        Assert.Empty(Verbs(posted));
        var request = await _h.PostedAsync(id);

        // What Teams asks for each of them (trigger "automatic"): decisions for a reviewer, status for the maker and others.
        var reviewerView = await _h.ClickAsync(ReviewVerbs.Refresh, id, TeamsUser.Reviewer);
        Assert.Equal(["review.claim", "review.approve", "review.changes", "review.reject", "review.reclassify"], Verbs(reviewerView["value"]));
        var makerView = await _h.ClickAsync(ReviewVerbs.Refresh, id, TeamsUser.Maker);
        Assert.Empty(Verbs(makerView["value"]));
        Assert.Contains("You submitted this request", makerView.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty(Verbs((await _h.ClickAsync(ReviewVerbs.Refresh, id, ReviewHarness.Outsider))["value"]));
        Assert.Equal(RequestStatus.PendingReview, (await _h.RequestAsync(id)).Status);

        // Ravi picks it up: it stays in review, named as his; the maker hears who has it.
        var claimed = await _h.ClickAsync(ReviewVerbs.Claim, id, TeamsUser.Reviewer);
        Assert.Contains("Picked up by", claimed.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(ReviewVerbs.Claim, Verbs(claimed["value"]));
        Assert.Equal((RequestStatus.PendingReview, TeamsUser.Reviewer.Id), ((await _h.RequestAsync(id)).Status, (await _h.RequestAsync(id)).Reviewer?.Id));
        await _h.MakerToldAsync($"{TeamsUser.Reviewer.Name} picked up {id}");
        var again = await _h.ClickAsync(ReviewVerbs.Claim, id, ReviewHarness.SecondReviewer);
        Assert.Contains($"already picked up by {TeamsUser.Reviewer.Name}", again.ToJsonString(), StringComparison.Ordinal);

        // Rita, a second reviewer, approves from the card; everyone's card shows the decision; Mia is told.
        var approved = await _h.ClickAsync(ReviewVerbs.Approve, id, ReviewHarness.SecondReviewer);
        Assert.Empty(Verbs(approved["value"]));
        Assert.Equal(RequestStatus.Approved, (await _h.RequestAsync(id)).Status);
        await _h.MakerToldAsync($"was **approved** by {ReviewHarness.SecondReviewer.Name}");
        var updated = Card(await _h.CardUpdatedAsync(request.ReviewCard!, $"by {ReviewHarness.SecondReviewer.Name}"));
        Assert.Empty(Verbs(updated));
        Assert.Contains(updated["body"]!.AsArray(), e => (string?)e!["style"] == "good");
        Assert.Contains(await _h.HistoryAsync(id), e => e.Action == RequestActions.Claimed && e.Actor.Id == TeamsUser.Reviewer.Id);

        // The maker's status card: the tier in words, times in the reader's zone, no due time once decided.
        var status = Assert.Single(await _h.Bot.SayAsync($"status {id}")).Attachments![0].Content!.ToJsonString();
        Assert.Contains("async review", status, StringComparison.Ordinal);
        Assert.Contains("{{DATE(", status, StringComparison.Ordinal);
        Assert.DoesNotContain("Review due", status, StringComparison.Ordinal);
        await AdaptiveCardValidator.AssertValidAsync([.. _h.AllCards]);
    }

    [Fact]
    public async Task A_channel_with_no_reviewer_on_its_roster_shows_the_buttons_to_everyone_and_still_refuses_the_maker()
    {
        await _h.RegisterAsync(2, ReviewHarness.Tier2Channel);
        var id = await _h.SubmitAsync(2);

        var posted = Card(await _h.CardPostedAsync(id));
        Assert.Null(posted["refresh"]);
        Assert.Contains(ReviewVerbs.Approve, Verbs(posted));
        await _h.PostedAsync(id);
        var own = await _h.ClickAsync(ReviewVerbs.Approve, id, TeamsUser.Maker);
        Assert.Equal(403, own["statusCode"]!.GetValue<int>());
    }
}
