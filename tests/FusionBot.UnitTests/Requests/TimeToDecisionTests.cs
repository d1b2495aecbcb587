using FusionBot.Features.Digest;
using FusionBot.Features.Portfolio;
using FusionBot.Requests;

namespace FusionBot.UnitTests.Requests;

public sealed class TimeToDecisionTests
{
    private static readonly DateTimeOffset Monday = new(2026, 6, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly GovernanceRequest Request = new()
    {
        Id = "FR-000001",
        TenantId = "tenant",
        Title = "Expense tracker",
        Answers = new IntakeAnswers(),
        Tier = 2,
        Reasons = [],
        Status = RequestStatus.Approved,
        Maker = new Person("29:maker", "aad-maker", "Mia Maker"),
        CreatedAt = Monday,
        UpdatedAt = Monday,
    };

    private static RequestHistoryEvent Event(string action, double hoursAfterMonday, int? tierAfter = null) => new()
    {
        RequestId = Request.Id,
        At = Monday.AddHours(hoursAfterMonday),
        Action = action,
        Actor = new Person("29:someone", null, "Someone"),
        TierAfter = tierAfter,
    };

    [Fact]
    public void A_window_runs_from_sent_for_review_to_the_first_decision_and_a_resubmission_opens_another()
    {
        RequestHistoryEvent[] events =
        [
            Event(RequestActions.Submitted, 0),
            Event(RequestActions.SentForReview, 1, tierAfter: 2),
            Event(RequestActions.ChangesRequested, 4),
            Event(RequestActions.Resubmitted, 10),
            Event(RequestActions.SentForReview, 10, tierAfter: 2),
            Event(RequestActions.Approved, 10.75),
            Event(RequestActions.Approved, 30), // a late duplicate closes nothing
        ];

        var windows = TimeToDecision.Windows(Request, events.Reverse()).ToList();

        Assert.Equal([TimeSpan.FromHours(3), TimeSpan.FromMinutes(45)], windows.Select(w => w.Duration));
        Assert.All(windows, w => Assert.Equal(2, w.Tier));
    }

    [Fact]
    public void Median_and_90th_percentile()
    {
        TimeSpan[] days = [.. Enumerable.Range(1, 10).Reverse().Select(d => TimeSpan.FromDays(d))];

        Assert.Equal(TimeSpan.FromDays(5.5), TimeToDecision.Median(days));
        Assert.Equal(TimeSpan.FromDays(9), TimeToDecision.P90(days));
        Assert.Equal(TimeSpan.FromDays(9), TimeToDecision.Median(days[..3]));
        Assert.Null(TimeToDecision.Median([]));
        Assert.Null(TimeToDecision.P90([]));
    }

    [Fact]
    public void The_digest_and_the_portfolio_agree_on_the_same_data()
    {
        RequestHistoryEvent[] events =
        [
            Event(RequestActions.Submitted, 0),
            Event(RequestActions.SentForReview, 0.01, tierAfter: 2),
            Event(RequestActions.Approved, 0.01 + (1.0 / 60)),
        ];

        var digest = FusionBot.UnitTests.Digest.IndexedInputs.Compute([Request], new Dictionary<string, IReadOnlyList<RequestHistoryEvent>> { [Request.Id] = events }, Monday, Monday.AddDays(7));
        var entry = new FusionBot.Tests.Oracles.PortfolioEntry(Request, events[^1].At)
        {
            ReviewWindows = [.. TimeToDecision.Windows(Request, events)],
        };
        var portfolio = FusionBot.Tests.Oracles.PortfolioOracle.Calculate([entry], Monday.AddDays(7), TimeSpan.FromDays(14));

        var tier = Assert.Single(digest.DecisionTimes);
        Assert.Equal(tier.Median, portfolio.MedianTimeToDecision);
        Assert.Equal("1 min", FusionBot.Cards.CardWords.Duration(tier.Median));
    }

    [Fact]
    public void Decisions_per_period_count_windows_by_when_they_were_decided_oldest_period_first()
    {
        TimeToDecision.Window Decided(double daysBeforeEnd) => new(Request.Id, 2, Monday, Monday.AddDays(21 - daysBeforeEnd));

        var periods = TimeToDecision.DecisionsPerPeriod([Decided(1), Decided(2), Decided(8), Decided(22)], Monday.AddDays(21), TimeSpan.FromDays(7), 3);

        Assert.Equal([Monday, Monday.AddDays(7), Monday.AddDays(14)], periods.Select(p => p.Start));
        Assert.Equal([0, 1, 2], periods.Select(p => p.Count));
    }
}
