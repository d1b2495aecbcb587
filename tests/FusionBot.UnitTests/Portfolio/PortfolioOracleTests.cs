using FusionBot.Features.Portfolio;
using FusionBot.Tests.Oracles;
using FusionBot.Requests;

namespace FusionBot.UnitTests.Portfolio;

/// <summary>The oracle the report index is compared with (the calculation before it), pinned by hand-worked figures.</summary>
public sealed class PortfolioOracleTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Grace = TimeSpan.FromDays(14);

    private static PortfolioEntry Entry(string id, int tier, RequestStatus status, double? hours = null, double? createdDaysAgo = 60,
        double? decidedAfterDays = null, PortfolioCheck? check = null)
    {
        var created = Now.AddDays(-createdDaysAgo!.Value);
        var request = new GovernanceRequest
        {
            Id = id,
            TenantId = "tenant",
            Title = $"Solution {id}",
            Answers = new IntakeAnswers { HoursSavedPerWeek = hours },
            Tier = tier,
            Reasons = [],
            Status = status,
            Maker = new Person("29:maker", "aad-maker", "Maker"),
            CreatedAt = created,
            UpdatedAt = created,
            PortfolioCheck = check,
        };
        return new PortfolioEntry(request, decidedAfterDays is { } days ? created.AddDays(days) : null)
        {
            ReviewWindows = decidedAfterDays is { } review ? [new TimeToDecision.Window(id, tier, created, created.AddDays(review))] : [],
        };
    }

    [Fact]
    public void Hours_saved_a_month_sum_only_solutions_in_use_as_52_weeks_over_12_months()
    {
        PortfolioEntry[] entries =
        [
            Entry("FR-000001", 1, RequestStatus.SelfCertified, hours: 3),
            Entry("FR-000002", 2, RequestStatus.Approved, hours: 4.5),
            Entry("FR-000003", 4, RequestStatus.Delivered, hours: 12),
            Entry("FR-000004", 2, RequestStatus.Approved),
            Entry("FR-000005", 3, RequestStatus.PendingReview, hours: 40),
            Entry("FR-000006", 2, RequestStatus.Rejected, hours: 100),
        ];

        var figures = PortfolioOracle.Calculate(entries, Now, Grace);

        // (3 + 4.5 + 12) h/week × 52 / 12 = 19.5 × 4.333… = 84.5 h/month
        Assert.Equal(84.5, figures.HoursSavedPerMonth, precision: 10);
        Assert.Equal(3, figures.SolutionsWithEstimate);
        Assert.Equal(6, figures.Total);
        Assert.Equal(new Dictionary<int, int> { [1] = 1, [2] = 3, [3] = 1, [4] = 1 }, figures.ByTier);
        Assert.Equal(2, figures.ByStatus[RequestStatus.Approved]);
        Assert.Equal(1, figures.ByStatus[RequestStatus.Rejected]);
    }

    [Fact]
    public void Median_time_to_decision_takes_the_middle_of_the_decided_review_windows()
    {
        PortfolioEntry[] odd =
        [
            Entry("FR-000001", 2, RequestStatus.Approved, decidedAfterDays: 1),
            Entry("FR-000002", 2, RequestStatus.Approved, decidedAfterDays: 5),
            Entry("FR-000003", 3, RequestStatus.Rejected, decidedAfterDays: 2),
            Entry("FR-000004", 3, RequestStatus.PendingReview),
        ];
        PortfolioEntry[] even = [.. odd, Entry("FR-000005", 2, RequestStatus.Approved, decidedAfterDays: 9)];

        Assert.Equal(TimeSpan.FromDays(2), PortfolioOracle.Calculate(odd, Now, Grace).MedianTimeToDecision);
        Assert.Equal(TimeSpan.FromDays(3.5), PortfolioOracle.Calculate(even, Now, Grace).MedianTimeToDecision);
        Assert.Null(PortfolioOracle.Calculate([odd[3]], Now, Grace).MedianTimeToDecision);
    }

    [Fact]
    public void A_review_is_overdue_only_when_unanswered_past_two_graces_and_outgrown_ones_are_listed()
    {
        PortfolioEntry[] entries =
        [
            Entry("FR-000001", 1, RequestStatus.SelfCertified, check: new PortfolioCheck(1, Now.AddDays(-29))),
            Entry("FR-000002", 1, RequestStatus.SelfCertified, check: new PortfolioCheck(1, Now.AddDays(-27))),
            Entry("FR-000003", 2, RequestStatus.Approved, check: new PortfolioCheck(1, Now.AddDays(-40), AnsweredAt: Now.AddDays(-39))),
            Entry("FR-000004", 3, RequestStatus.PendingReview, check: new PortfolioCheck(1, Now.AddDays(-50), Now.AddDays(-49), OutgrewTier: 1)),
            Entry("FR-000005", 2, RequestStatus.Withdrawn, check: new PortfolioCheck(1, Now.AddDays(-60))),
        ];

        var figures = PortfolioOracle.Calculate(entries, Now, Grace);

        Assert.Equal(["FR-000001"], figures.Overdue.Select(r => r.Id));
        Assert.Equal(["FR-000004"], figures.Outgrown.Select(r => r.Id));
    }
}
