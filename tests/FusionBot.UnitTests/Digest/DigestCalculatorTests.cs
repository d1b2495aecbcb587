using FusionBot.Features.Digest;
using FusionBot.Requests;
using FusionBot.TestKit.Cards;

namespace FusionBot.UnitTests.Digest;

/// <summary>
/// One seeded week (1 June 09:00 to 8 June 09:00 UTC) whose figures were worked out by hand; each request is
/// described where it is made.
/// </summary>
public sealed class DigestCalculatorTests
{
    private static readonly DateTimeOffset From = At(6, 1, 9);
    private static readonly DateTimeOffset To = At(6, 8, 9);
    private static readonly Person Maker = new("29:m", "aad-m", "Mia");
    private static readonly Person Reviewer = new("29:r", "aad-r", "Ravi");

    private readonly List<GovernanceRequest> _requests = [];
    private readonly Dictionary<string, IReadOnlyList<RequestHistoryEvent>> _history = [];

    public DigestCalculatorTests()
    {
        // Tier 2, approved after 24 h, before its due time.
        Seed(1, 2, At(6, 2, 10), Platform.PowerApps, ["SharePoint"], "Track invoice approvals for finance", due: At(6, 4, 10), breached: null,
            Event("Submitted", At(6, 2, 10), tierAfter: 2), Event("SentForReview", At(6, 2, 10), tierAfter: 2), Event("Approved", At(6, 3, 10)));
        // Tier 2, changes requested after 72 h: breached at 48 h.
        Seed(2, 2, At(6, 2, 12), Platform.PowerAutomate, ["SharePoint", "Dataverse"], "Invoice reminders for overdue suppliers",
            due: At(6, 4, 12), breached: At(6, 4, 12),
            Event("Submitted", At(6, 2, 12), tierAfter: 2), Event("SentForReview", At(6, 2, 12), tierAfter: 2), Event("ChangesRequested", At(6, 5, 12)));
        // Submitted as Tier 2, reclassified to 3 and sent again; design review set 24 h after the second sending.
        Seed(3, 3, At(6, 3, 9), Platform.PowerApps, [DataSourceKinds.ExternalApi], "Onboarding checklist app for new starters", due: At(6, 8, 15), breached: null,
            Event("Submitted", At(6, 3, 9), tierAfter: 2), Event("SentForReview", At(6, 3, 9), tierAfter: 2),
            Event("Reclassified", At(6, 3, 15), tierBefore: 2, tierAfter: 3), Event("SentForReview", At(6, 3, 15), tierAfter: 3),
            Event("DesignReviewScheduled", At(6, 4, 15)));
        // Tier 1, self-certified.
        Seed(4, 1, At(6, 4, 9), Platform.CopilotStudio, [DataSourceKinds.None], "Answer invoice questions from the team",
            events: [Event("Submitted", At(6, 4, 9), tierAfter: 1), Event("SelfCertified", At(6, 4, 10))]);
        // Sent for review in May, rejected exactly when the window opens (12 days, after its due time).
        Seed(5, 2, At(5, 20, 9), Platform.PowerApps, ["SharePoint"], "Old request", due: At(5, 22, 9), breached: null,
            Event("Submitted", At(5, 20, 9), tierAfter: 2), Event("SentForReview", At(5, 20, 9), tierAfter: 2), Event("Rejected", At(6, 1, 9)));
        // Tier 4, still waiting for an owner, breached in the week.
        Seed(6, 4, At(6, 5, 9), Platform.Other, [DataSourceKinds.EnterpriseSystem], "Payroll onboarding integration with SAP",
            due: At(6, 7, 9), breached: At(6, 7, 9),
            Event("Submitted", At(6, 5, 9), tierAfter: 4), Event("SentForReview", At(6, 5, 9), tierAfter: 4));
        // Approved exactly when the window closes: next week's.
        Seed(7, 2, At(6, 6, 9), Platform.PowerApps, ["SharePoint"], "Room booking", due: At(6, 8, 9), breached: null,
            Event("Submitted", At(6, 6, 9), tierAfter: 2), Event("SentForReview", At(6, 6, 9), tierAfter: 2), Event("Approved", At(6, 8, 9)));
        // Owned in April, delivered this week.
        Seed(8, 4, At(4, 1, 9), Platform.PowerApps, ["SAP"], "Old integration", due: At(4, 6, 9), breached: null,
            Event("Submitted", At(4, 1, 9), tierAfter: 4), Event("SentForReview", At(4, 1, 9), tierAfter: 4),
            Event("OwnershipTaken", At(4, 2, 9)), Event("Delivered", At(6, 6, 12)));
    }

    private DigestFigures Compute() => IndexedInputs.Compute(_requests, _history, From, To);

    [Fact]
    public void New_requests_count_by_the_tier_they_were_submitted_at()
    {
        var figures = Compute();

        Assert.Equal(new Dictionary<int, int> { [1] = 1, [2] = 4, [3] = 0, [4] = 1 }, figures.NewByTier);
        Assert.Equal(6, figures.NewRequests);
    }

    [Fact]
    public void Decisions_and_delivered_solutions_count_events_inside_the_window_only()
    {
        var figures = Compute();

        Assert.Equal((1, 1, 1), (figures.Approved, figures.ChangesRequested, figures.Rejected));
        Assert.Equal(3, figures.SolutionsDelivered); // FR-000001 approved, FR-000004 self-certified, FR-000008 delivered
    }

    [Fact]
    public void Time_to_decision_runs_from_the_latest_sending_for_review_to_the_first_decision()
    {
        var figures = Compute();

        Assert.Equal(
            [
                new TierDecisionTimes(2, 3, TimeSpan.FromHours(72), TimeSpan.FromDays(12)),
                new TierDecisionTimes(3, 1, TimeSpan.FromHours(24), TimeSpan.FromHours(24)),
            ],
            figures.DecisionTimes);
    }

    [Fact]
    public void Sla_compliance_counts_decisions_before_their_due_time_and_lists_every_breach()
    {
        var figures = Compute();

        Assert.Equal((4, 2), (figures.Decided, figures.DecidedOnTime));
        Assert.Equal(50.0, figures.SlaCompliancePercent);
        Assert.Equal(["FR-000002", "FR-000005", "FR-000006"], figures.SlaBreaches);
    }

    [Fact]
    public void Reclassifications_name_both_tiers()
    {
        Assert.Equal([new Reclassification("FR-000003", 2, 3)], Compute().Reclassifications);
    }

    [Fact]
    public void Connectors_platforms_and_keywords_come_from_the_weeks_new_requests()
    {
        var figures = Compute();

        Assert.Equal(
            [new("SharePoint", 3), new("Dataverse", 1), new("Enterprise system", 1), new("External API", 1)],
            figures.TopConnectors);
        Assert.Equal(
            [new("Power Apps", 3), new("Copilot Studio", 1), new("Other", 1), new("Power Automate", 1)],
            figures.Platforms);
        Assert.Equal([new("invoice", 3), new("onboarding", 2)], figures.Keywords);
    }

    [Fact]
    public void An_empty_week_has_zeros_and_no_compliance_figure()
    {
        var figures = IndexedInputs.Compute([], new Dictionary<string, IReadOnlyList<RequestHistoryEvent>>(), From, To);

        Assert.Equal(0, figures.NewRequests);
        Assert.Null(figures.SlaCompliancePercent);
        Assert.Empty(figures.DecisionTimes);
        Assert.Empty(figures.Keywords);
    }

    [Theory]
    [InlineData(new[] { 1.0 }, 1.0, 1.0)]
    [InlineData(new[] { 4.0, 1.0 }, 2.5, 4.0)]
    [InlineData(new[] { 5.0, 1.0, 3.0, 2.0, 4.0, 6.0, 7.0, 8.0, 9.0, 10.0 }, 5.5, 9.0)]
    [InlineData(new[] { 5.0, 1.0, 3.0, 2.0, 4.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0 }, 6.0, 10.0)]
    public void Median_is_the_middle_and_p90_the_nearest_rank(double[] hours, double median, double p90)
    {
        var times = DigestCalculator.Times(2, [.. hours.Select(TimeSpan.FromHours)]);

        Assert.Equal(TimeSpan.FromHours(median), times.Median);
        Assert.Equal(TimeSpan.FromHours(p90), times.P90);
    }

    [Fact]
    public void Keywords_skip_stop_words_and_count_a_word_once_per_request()
    {
        var keywords = ThemeKeywords.Count(["Approve the invoice invoice invoice", "An invoice for the team", "We want the approval app", null]);

        Assert.Equal([new NamedCount("invoice", 2)], keywords);
    }

    [Fact]
    public async Task The_card_is_valid_and_shows_the_figures_with_maker_text_escaped()
    {
        var record = new DigestRecord
        {
            Id = DigestRecord.IdFor("t", new DateOnly(2026, 6, 8)),
            TenantId = "t",
            Figures = Compute(),
            Note = "Welcome **new** makers <b>",
            PreparedAt = To,
        };

        var card = DigestCard.Build(record, preview: true);

        await AdaptiveCardValidator.AssertValidAsync(card);
        var json = string.Join("\n", Strings(card));
        Assert.Contains("Tier 1: 1 · Tier 2: 4 · Tier 3: 0 · Tier 4: 1", json);
        Assert.Contains("50 % on time (2 of 4)", json);
        Assert.Contains("median 3 days · 90th percentile 12 days (3 decided)", json);
        Assert.Contains("Tier 2 → Tier 3", json);
        Assert.Contains("invoice (3), onboarding (2)", json);
        Assert.Contains("digest send", json);
        Assert.Contains(@"Welcome \*\*new\*\* makers \<b", json);
        Assert.Equal("Weekly digest 1 Jun – 8 Jun: 6 new requests, 3 solutions ready to use, SLA 50 % on time", DigestCard.Summary(record));
    }

    private static IEnumerable<string> Strings(System.Text.Json.Nodes.JsonNode? node) => node switch
    {
        System.Text.Json.Nodes.JsonObject o => o.SelectMany(p => Strings(p.Value)),
        System.Text.Json.Nodes.JsonArray a => a.SelectMany(Strings),
        System.Text.Json.Nodes.JsonValue v => [v.ToString()],
        _ => [],
    };

    private static DateTimeOffset At(int month, int day, int hour) => new(2026, month, day, hour, 0, 0, TimeSpan.Zero);

    private static Func<string, RequestHistoryEvent> Event(string action, DateTimeOffset at, int? tierBefore = null, int? tierAfter = null) =>
        id => new RequestHistoryEvent
        {
            RequestId = id,
            At = at,
            Action = action,
            Actor = action is "Submitted" or "SentForReview" or "SelfCertified" ? Maker : Reviewer,
            TierBefore = tierBefore,
            TierAfter = tierAfter,
        };

    private void Seed(int number, int tier, DateTimeOffset created, Platform platform, string[] sources, string purpose,
        DateTimeOffset? due = null, DateTimeOffset? breached = null, params Func<string, RequestHistoryEvent>[] events)
    {
        var id = $"FR-{number:D6}";
        var history = events.Select(e => e(id)).ToList();
        _requests.Add(new GovernanceRequest
        {
            Id = id,
            TenantId = "t",
            Title = purpose,
            Answers = new IntakeAnswers { Purpose = purpose, Platform = platform, DataSources = sources },
            Tier = tier,
            Reasons = [],
            Status = RequestStatus.PendingReview,
            Maker = Maker,
            CreatedAt = created,
            UpdatedAt = history.Max(e => e.At),
            DueAt = due,
            SlaBreachedAt = breached,
        });
        _history[id] = history;
    }
}
