using FusionBot.Requests;
using static FusionBot.Requests.RequestAction;
using static FusionBot.Requests.RequestStatus;

namespace FusionBot.UnitTests.Requests;

/// <summary>The lifecycle table, checked for every status × action × tier against the rules stated once more here.</summary>
public sealed class RequestLifecycleTests
{
    private const RequestRole Reviewers = RequestRole.Reviewer | RequestRole.Admin;

    private static readonly int[] AllTiers = [1, 2, 3, 4];
    private static readonly int[] ReviewTiers = [2, 3, 4];

    /// <summary>(from, action, tiers, to, who): everything allowed. Anything else must be refused.</summary>
    private static readonly (RequestStatus? From, RequestAction Action, int[] Tiers, RequestStatus To, RequestRole Who)[] Allowed =
    [
        (null, Submit, AllTiers, Submitted, RequestRole.Maker),
        (Submitted, SelfCertify, [1], SelfCertified, RequestRole.Maker),
        (Submitted, SendForReview, ReviewTiers, PendingReview, RequestRole.System),
        (PendingRouting, SendForReview, ReviewTiers, PendingReview, RequestRole.System),
        (Submitted, WaitForChannel, ReviewTiers, PendingRouting, RequestRole.System),
        (PendingRouting, WaitForChannel, ReviewTiers, PendingRouting, RequestRole.System),
        (PendingReview, WaitForChannel, ReviewTiers, PendingRouting, RequestRole.System),
        (PendingReview, Claim, [2], PendingReview, Reviewers),
        (PendingReview, Approve, [2, 3], Approved, Reviewers),
        (DesignReviewScheduled, Approve, [3], Approved, Reviewers),
        (PendingReview, RequestChanges, ReviewTiers, ChangesRequested, Reviewers),
        (DesignReviewScheduled, RequestChanges, [3], ChangesRequested, Reviewers),
        (PendingReview, Reject, ReviewTiers, Rejected, Reviewers),
        (DesignReviewScheduled, Reject, [3], Rejected, Reviewers),
        (PendingReview, Reclassify, ReviewTiers, PendingRouting, Reviewers),
        (DesignReviewScheduled, Reclassify, [3], PendingRouting, Reviewers),
        (PendingReview, ScheduleDesignReview, [3], DesignReviewScheduled, Reviewers),
        (PendingReview, TakeOwnership, [4], InDevelopment, Reviewers),
        (InDevelopment, Deliver, [4], Delivered, Reviewers | RequestRole.System),
        (Submitted, Withdraw, AllTiers, Withdrawn, RequestRole.Maker),
        (PendingRouting, Withdraw, AllTiers, Withdrawn, RequestRole.Maker),
        (PendingReview, Withdraw, AllTiers, Withdrawn, RequestRole.Maker),
        (ChangesRequested, Withdraw, AllTiers, Withdrawn, RequestRole.Maker),
        (DesignReviewScheduled, Withdraw, AllTiers, Withdrawn, RequestRole.Maker),
        (InDevelopment, Withdraw, AllTiers, Withdrawn, RequestRole.Maker),
        (ChangesRequested, Resubmit, AllTiers, Submitted, RequestRole.Maker),
        (PendingReview, MarkSlaBreached, ReviewTiers, PendingReview, RequestRole.System),
        (PendingRouting, MarkSlaBreached, ReviewTiers, PendingRouting, RequestRole.System),
        (SelfCertified, AnswerPeriodicReview, AllTiers, SelfCertified, RequestRole.Maker),
        (Approved, AnswerPeriodicReview, AllTiers, Approved, RequestRole.Maker),
        (Delivered, AnswerPeriodicReview, AllTiers, Delivered, RequestRole.Maker),
        (SelfCertified, LowerTier, AllTiers, SelfCertified, RequestRole.Maker),
        (Approved, LowerTier, AllTiers, Approved, RequestRole.Maker),
        (Delivered, LowerTier, AllTiers, Delivered, RequestRole.Maker),
        (SelfCertified, OutgrowTier, AllTiers, PendingRouting, RequestRole.Maker),
        (Approved, OutgrowTier, AllTiers, PendingRouting, RequestRole.Maker),
        (Delivered, OutgrowTier, AllTiers, PendingRouting, RequestRole.Maker),
    ];

    public static TheoryData<RequestStatus?, RequestAction, int> EveryStatusActionAndTier()
    {
        var data = new TheoryData<RequestStatus?, RequestAction, int>();
        foreach (var status in Enum.GetValues<RequestStatus>().Cast<RequestStatus?>().Prepend(null))
        {
            foreach (var action in Enum.GetValues<RequestAction>())
            {
                foreach (var tier in AllTiers)
                {
                    data.Add(status, action, tier);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryStatusActionAndTier))]
    public void Every_status_action_and_tier_leads_where_the_rules_say_or_is_refused(RequestStatus? status, RequestAction action, int tier)
    {
        var expected = Allowed.SingleOrDefault(a => a.From == status && a.Action == action && a.Tiers.Contains(tier));
        var actual = RequestLifecycle.Find(status, tier, action);

        if (expected == default)
        {
            Assert.Null(actual);
            return;
        }

        Assert.NotNull(actual);
        Assert.Equal(expected.To, actual.To);
        Assert.Equal(expected.Who, actual.Who);
        Assert.True(actual.Effects.HasFlag(RequestEffects.History), "every transition leaves a history event");
        foreach (var role in new[] { RequestRole.Maker, RequestRole.Reviewer, RequestRole.Admin, RequestRole.System })
        {
            Assert.Equal((expected.Who & role) != 0, status is { } s ? RequestLifecycle.Allows(s, tier, action, role) : (actual.Who & role) != 0);
        }
    }

    [Fact]
    public void The_table_has_no_row_the_rules_do_not_state_and_no_two_rows_for_one_case()
    {
        Assert.Equal(Allowed.Sum(a => a.Tiers.Length), RequestLifecycle.Transitions.Sum(t => t.Tiers.Count));
        Assert.Equal(
            RequestLifecycle.Transitions.Count,
            RequestLifecycle.Transitions.Select(t => (t.From, t.Action)).Distinct().Count());
    }

    [Theory]
    [InlineData(Approve)]
    [InlineData(RequestChanges)]
    [InlineData(Reject)]
    [InlineData(Reclassify)]
    [InlineData(ScheduleDesignReview)]
    [InlineData(TakeOwnership)]
    [InlineData(Withdraw)]
    [InlineData(WaitForChannel)]
    public void Whatever_ends_a_review_window_stops_its_clock_the_same_way(RequestAction action) =>
        Assert.All(RequestLifecycle.Transitions.Where(t => t.Action == action), t => Assert.True(t.Effects.HasFlag(RequestEffects.StopSla)));

    [Fact]
    public void Only_entering_review_starts_a_clock_and_posts_the_card() =>
        Assert.All(RequestLifecycle.Transitions.Where(t => t.Effects.HasFlag(RequestEffects.StartSla) || t.Effects.HasFlag(RequestEffects.PostCard)),
            t => Assert.Equal(SendForReview, t.Action));

    [Fact]
    public void A_reviewers_decision_updates_the_card_replies_in_its_thread_and_tells_the_maker()
    {
        foreach (var transition in RequestLifecycle.Transitions.Where(t => t.Who == Reviewers))
        {
            var card = transition.Action == Reclassify ? RequestEffects.RetireCard : RequestEffects.UpdateCard;
            Assert.True(transition.Effects.HasFlag(card | RequestEffects.ThreadReply | RequestEffects.MakerNotice), $"{transition.Action} from {transition.From}");
        }
    }

    [Theory]
    [InlineData(AnswerPeriodicReview)]
    [InlineData(LowerTier)]
    [InlineData(OutgrowTier)]
    public void A_periodic_review_answer_tells_the_maker_its_outcome_through_the_outbox(RequestAction action) =>
        Assert.All(RequestLifecycle.Transitions.Where(t => t.Action == action), t => Assert.True(t.Effects.HasFlag(RequestEffects.MakerNotice), $"{t.Action} from {t.From}"));

    [Fact]
    public void The_next_periodic_review_follows_every_way_into_use()
    {
        var intoUse = RequestLifecycle.Transitions.Where(t => RequestLifecycle.InUse(t.To)).ToList();
        Assert.NotEmpty(intoUse);
        Assert.All(intoUse, t => Assert.True(t.Effects.HasFlag(RequestEffects.NextPeriodicReview), $"{t.Action} from {t.From}"));
    }

    [Fact]
    public void Final_and_in_use_statuses_derive_from_the_table()
    {
        Assert.Equal([SelfCertified, Approved, Rejected, Delivered, Withdrawn], Enum.GetValues<RequestStatus>().Where(RequestLifecycle.IsFinal));
        Assert.Equal([SelfCertified, Approved, Delivered], Enum.GetValues<RequestStatus>().Where(RequestLifecycle.InUse));
    }

    [Theory]
    [InlineData(PendingReview, 2, new[] { Claim, Approve, RequestChanges, Reject, Reclassify })]
    [InlineData(PendingReview, 3, new[] { ScheduleDesignReview, Approve, RequestChanges, Reject, Reclassify })]
    [InlineData(DesignReviewScheduled, 3, new[] { Approve, RequestChanges, Reject, Reclassify })]
    [InlineData(PendingReview, 4, new[] { TakeOwnership, RequestChanges, Reject, Reclassify })]
    [InlineData(InDevelopment, 4, new[] { Deliver })]
    [InlineData(Approved, 2, new RequestAction[0])]
    [InlineData(PendingRouting, 2, new RequestAction[0])]
    [InlineData(Submitted, 1, new RequestAction[0])]
    public void The_review_cards_buttons_are_the_reviewers_rows_in_order(RequestStatus status, int tier, RequestAction[] expected) =>
        Assert.Equal(expected, RequestLifecycle.ReviewerActions(status, tier));
}
