using FusionBot.Features.Sla;
using FusionBot.Features.Outbox;
using FusionBot.Requests;
using FusionBot.TestKit;

namespace FusionBot.UnitTests.Sla;

public sealed class SlaReminderHandlerTests : IAsyncLifetime
{
    private static readonly Person Reviewer = new("29:reviewer-1", "b2222222-2222-2222-2222-222222222222", "Ravi Reviewer");
    private ReminderTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await ReminderTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task A_reminder_replies_in_the_card_thread_mentioning_the_reviewer_with_time_left_and_due_time()
    {
        var request = await _bed.SeedInReviewAsync(reviewer: Reviewer);
        var item = await _bed.PendingItemAsync($"sla:{request.Id}:1:remind-50");
        _bed.Time.Advance(TimeSpan.FromHours(24));

        await _bed.HandleAsync(item);

        var call = Assert.Single(_bed.Connector.Calls);
        Assert.Equal(ConnectorRoute.ReplyToActivity, call.Route);
        Assert.Equal(request.ReviewCard!.ConversationId, call.ConversationId);
        Assert.Equal(request.ReviewCard.ActivityId, call.ActivityId);
        var reply = call.Activity!;
        Assert.StartsWith("⏰ <at>Ravi Reviewer</at>, **" + request.Id + "**", reply.Text);
        Assert.Contains("Expense \\*tracker\\*", reply.Text); // the maker's title is escaped
        Assert.Contains("waiting for a review decision: 1 day left, due 2025-03-05 09:00 UTC", reply.Text);
        var mention = Assert.Single(reply.Entities!);
        Assert.Equal("mention", mention.Type);
        Assert.Equal("<at>Ravi Reviewer</at>", mention.Text);
        Assert.Equal(Reviewer.Id, mention.Mentioned!.Id);
        Assert.Equal("Ravi Reviewer", mention.Mentioned.Name);
    }

    [Fact]
    public async Task Without_a_reviewer_the_reminder_mentions_nobody_and_says_it_is_unclaimed()
    {
        var request = await _bed.SeedInReviewAsync(tier: 3);
        var item = await _bed.PendingItemAsync($"sla:{request.Id}:1:remind-90");
        _bed.Time.Advance(TimeSpan.FromDays(4.5));

        await _bed.HandleAsync(item);

        var reply = Assert.Single(_bed.Connector.Calls).Activity!;
        Assert.Null(reply.Entities);
        Assert.Contains("waiting for its design review to be scheduled: 12 hours left", reply.Text);
        Assert.Contains("No reviewer has picked it up yet.", reply.Text);
    }

    [Theory]
    [InlineData(2, RequestStatus.Approved)]
    [InlineData(2, RequestStatus.Rejected)]
    [InlineData(2, RequestStatus.ChangesRequested)]
    [InlineData(2, RequestStatus.Withdrawn)]
    [InlineData(3, RequestStatus.DesignReviewScheduled)]
    [InlineData(4, RequestStatus.InDevelopment)]
    [InlineData(4, RequestStatus.Delivered)]
    public async Task Once_the_awaited_event_happened_the_reminder_sends_nothing(int tier, RequestStatus status)
    {
        var request = await _bed.SeedInReviewAsync(tier);
        var item = await _bed.PendingItemAsync($"sla:{request.Id}:1:remind-50");
        await _bed.Requests.UpdateAsync(request with { Status = status });

        await _bed.HandleAsync(item);

        Assert.Empty(_bed.Connector.Calls);
    }

    [Fact]
    public async Task A_reminder_carried_out_after_the_due_time_is_dropped_rather_than_sent_after_the_breach()
    {
        var request = await _bed.SeedInReviewAsync();
        var item = await _bed.PendingItemAsync($"sla:{request.Id}:1:remind-50");
        // The instance holding it crashed; by the time another takes it over, the window is over.
        _bed.Time.Advance(TimeSpan.FromHours(48));

        await _bed.HandleAsync(item);

        Assert.Empty(_bed.Connector.Calls);
    }

    [Fact]
    public async Task A_reminder_of_a_request_whose_breach_was_recorded_is_dropped()
    {
        var request = await _bed.SeedInReviewAsync();
        var item = await _bed.PendingItemAsync($"sla:{request.Id}:1:remind-90");
        await _bed.Requests.UpdateAsync(request with { SlaBreachedAt = request.DueAt });
        _bed.Time.Advance(TimeSpan.FromHours(44));

        await _bed.HandleAsync(item);

        Assert.Empty(_bed.Connector.Calls);
    }

    [Fact]
    public async Task A_reminder_of_an_earlier_review_cycle_sends_nothing()
    {
        var request = await _bed.SeedInReviewAsync();
        var item = await _bed.PendingItemAsync($"sla:{request.Id}:1:remind-50");
        await _bed.Requests.UpdateAsync(request with { ReviewCycle = 2 });

        await _bed.HandleAsync(item);

        Assert.Empty(_bed.Connector.Calls);
    }

    [Fact]
    public async Task A_reminder_whose_thread_is_gone_fails_permanently_and_is_recorded_on_the_request()
    {
        var request = await _bed.SeedInReviewAsync();
        var item = await _bed.PendingItemAsync($"sla:{request.Id}:1:remind-50");
        _bed.Connector.FailNext(ConnectorRoute.ReplyToActivity, 1, System.Net.HttpStatusCode.NotFound, errorCode: "ConversationNotFound");

        var failure = await Assert.ThrowsAsync<FusionBot.Protocol.Connector.ConnectorException>(() => _bed.HandleAsync(item));
        Assert.True(failure.IsPermanent);
        await _bed.OnFailedAsync(item, "Connector 404 ConversationNotFound");

        var recorded = Assert.Single(await _bed.History.ListAsync(request.Id), e => e.Action == NotificationFailures.Action);
        Assert.Equal("SLA reminder remind-50 in the review thread: Connector 404 ConversationNotFound", recorded.Comment);
    }
}
