using System.Text.Json.Nodes;
using FusionBot.Features.Review;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.TestKit;
using FusionBot.TestKit.Cards;
using Microsoft.Extensions.DependencyInjection;

namespace FusionBot.FunctionalTests.Review;

/// <summary>Tier 3 design reviews through (fake) Microsoft Graph, Tier 4 ownership, and concurrent reviewers.</summary>
public sealed class ReviewTierFlowTests : IAsyncLifetime
{
    private ReviewHarness _h = null!;

    public async Task InitializeAsync() => _h = await ReviewHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static JsonObject When(string date, string time) => new() { ["meetingDate"] = date, ["meetingTime"] = time };

    [Fact]
    public async Task Tier_3_design_review_creates_a_teams_meeting_and_tells_the_maker()
    {
        await _h.RegisterAsync(3, ReviewHarness.Tier3Channel);
        var id = await _h.SubmitAsync(3);
        var posted = await _h.PostedAsync(id);
        _h.Connector.SetRoster(ReviewHarness.Tier3Channel, new TeamsChannelAccount
        {
            Id = TeamsUser.Reviewer.Id, AadObjectId = TeamsUser.Reviewer.AadObjectId, Name = TeamsUser.Reviewer.Name, UserPrincipalName = "ravi@contoso.test",
        });
        _h.Connector.SetRoster(_h.Bot.Activities.PersonalConversation().Id!, new TeamsChannelAccount
        {
            Id = TeamsUser.Maker.Id, AadObjectId = TeamsUser.Maker.AadObjectId, Name = TeamsUser.Maker.Name, UserPrincipalName = "mia@contoso.test",
        });

        // The maker's Teams client has told the bot their time zone: the meeting's time comes to them in it.
        await _h.Bot.TurnAsync(TeamsActivityBuilder.WithClientInfo(_h.Bot.Activities.PersonalMessage("my requests"), "Asia/Kolkata"));
        var noDate = await _h.ClickAsync("review.schedule", id, TeamsUser.Reviewer);
        Assert.Equal(400, noDate["statusCode"]!.GetValue<int>());

        var answer = await _h.ClickAsync("review.schedule", id, TeamsUser.Reviewer, When("2030-03-04", "14:30"));
        Assert.Contains("https://teams.example.test/l/meetup-join/e-1", answer.ToJsonString());

        var call = Assert.Single(_h.Graph.Calls);
        Assert.Equal($"/v1.0/users/{TeamsUser.Reviewer.AadObjectId}/events", call.Path);
        Assert.Equal("Bearer " + TestKit.Graph.FakeGraphServer.AccessToken, call.Authorization);
        Assert.True(call.Body!["isOnlineMeeting"]!.GetValue<bool>());
        Assert.Equal("teamsForBusiness", call.Body["onlineMeetingProvider"]!.GetValue<string>());
        Assert.Equal("2030-03-04T14:30:00", call.Body["start"]!["dateTime"]!.GetValue<string>());
        var invited = call.Body["attendees"]!.AsArray().Select(a => a!["emailAddress"]!["address"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(["mia@contoso.test", "ravi@contoso.test"], invited);

        var request = await _h.RequestAsync(id);
        Assert.Equal(RequestStatus.DesignReviewScheduled, request.Status);
        Assert.Equal("https://teams.example.test/l/meetup-join/e-1", request.DesignReview!.JoinUrl);
        await _h.MakerToldAsync("https://teams.example.test/l/meetup-join/e-1");
        // The wire JSON escapes "+": read the activity's text.
        await _h.Connector.WaitForAsync(c => c.ConversationId == _h.Bot.Activities.PersonalConversation().Id
            && c.Activity?.Text?.Contains("for 2030-03-04 20:00 UTC+5:30.", StringComparison.Ordinal) == true);
        await _h.ThreadReplyAsync(posted.ReviewCard!, "scheduled the design review for 2030-03-04 14:30 UTC");
        await _h.CardUpdatedAsync(posted.ReviewCard!, "meetup-join");

        await _h.ClickAsync("review.approve", id, ReviewHarness.SecondReviewer);
        Assert.Equal(RequestStatus.Approved, (await _h.RequestAsync(id)).Status);
        await AdaptiveCardValidator.AssertValidAsync([.. _h.AllCards]);
    }

    [Fact]
    public async Task A_graph_failure_leaves_the_request_unchanged_and_says_so_on_the_card()
    {
        await _h.RegisterAsync(3, ReviewHarness.Tier3Channel);
        var id = await _h.SubmitAsync(3);
        await _h.PostedAsync(id);
        _h.Graph.FailEvents = 403;

        var answer = await _h.ClickAsync("review.schedule", id, TeamsUser.Reviewer, When("2030-03-04", "14:30"));

        Assert.Equal(AdaptiveCardInvokeResponse.ErrorType, answer["type"]!.GetValue<string>());
        Assert.Contains("could not create the meeting", answer.ToJsonString());
        var request = await _h.RequestAsync(id);
        Assert.Equal(RequestStatus.PendingReview, request.Status);
        Assert.Null(request.DesignReview);
        Assert.DoesNotContain(await _h.HistoryAsync(id), e => e.Action == "DesignReviewScheduled");

        _h.Graph.FailEvents = null;
        var retried = await _h.ClickAsync("review.schedule", id, TeamsUser.Reviewer, When("2030-03-04", "14:30"));
        Assert.Contains("meetup-join", retried.ToJsonString());
        Assert.Equal(RequestStatus.DesignReviewScheduled, (await _h.RequestAsync(id)).Status);

        // Teams told us no email for either (no roster here): the meeting is made without attendees, and the maker hears why.
        Assert.Empty(_h.Graph.Calls[^1].Body!["attendees"]!.AsArray());
        await _h.MakerToldAsync("Not invited by email");
    }

    [Fact]
    public async Task Tier_4_is_owned_then_delivered_from_the_card()
    {
        await _h.RegisterAsync(4, ReviewHarness.Tier4Channel);
        var id = await _h.SubmitAsync(4);
        var posted = await _h.PostedAsync(id);

        var owned = await _h.ClickAsync("review.own", id, ReviewHarness.SecondReviewer);
        Assert.Contains("review.delivered", owned.ToJsonString());
        var request = await _h.RequestAsync(id);
        Assert.Equal(RequestStatus.InDevelopment, request.Status);
        Assert.Equal(ReviewHarness.SecondReviewer.Id, request.Reviewer!.Id);
        await _h.MakerToldAsync("took ownership");

        await _h.ClickAsync("review.delivered", id, ReviewHarness.SecondReviewer);
        Assert.Equal(RequestStatus.Delivered, (await _h.RequestAsync(id)).Status);
        await _h.CardUpdatedAsync(posted.ReviewCard!, "Delivered by Rita Reviewer");
        await _h.MakerToldAsync("delivered");
        await AdaptiveCardValidator.AssertValidAsync([.. _h.AllCards]);
    }

    [Fact]
    public async Task Two_reviewers_approving_at_once_record_exactly_one_decision()
    {
        await _h.RegisterAsync(2, ReviewHarness.Tier2Channel);
        var template = await _h.RequestAsync(await _h.SubmitAsync(2));
        var workflow = _h.Bot.Services.GetRequiredService<RequestWorkflow>();

        for (var trial = 0; trial < 50; trial++)
        {
            var created = await _h.Requests.CreateAsync(template with { Id = "", Status = RequestStatus.Submitted, ReviewCard = null, ReviewCycle = 0 });
            await workflow.ApplyAsync(created, [new RequestStep(RequestAction.SendForReview, RequestActors.FusionBot, RequestRole.System)], CancellationToken.None);

            var answers = await Task.WhenAll(
                _h.ClickAsync("review.approve", created.Id, TeamsUser.Reviewer),
                _h.ClickAsync("review.approve", created.Id, ReviewHarness.SecondReviewer));

            Assert.Single(await _h.HistoryAsync(created.Id), e => e.Action == "Approved");
            var decided = await _h.RequestAsync(created.Id);
            var winner = decided.Reviewer!.Name;
            Assert.All(answers, a => Assert.Contains($"Approved by {winner}", a.ToJsonString()));
            Assert.Single(answers, a => a.ToJsonString().Contains($"already approved by {winner}", StringComparison.Ordinal));
        }
    }
}
