using System.Text.Json.Nodes;
using FusionBot.Features.Classification;
using FusionBot.Features.Components;
using FusionBot.Features.Digest;
using FusionBot.Features.Help;
using FusionBot.Features.Intake;
using FusionBot.Features.Onboarding;
using FusionBot.Features.Portfolio;
using FusionBot.Tests.Oracles;
using FusionBot.Features.Review;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.Storage.Rows;
using Microsoft.Extensions.Options;

namespace FusionBot.UnitTests.Cards;

/// <summary>
/// FusionBot's main cards built by the real card builders from one realistic, seeded story (no Azure, no bot), so
/// the pictures in docs/cards are rendered from what the bot sends and cannot drift from it. Each card is named by
/// the PNG it becomes.
/// </summary>
public static class CardGallery
{
    private static readonly DateTimeOffset Submitted = new(2026, 11, 23, 9, 30, 0, TimeSpan.Zero);
    private static readonly Person Maker = new("29:mia", "aad-mia", "Mia Maker");
    private static readonly Person Reviewer = new("29:ravi", "aad-ravi", "Ravi Reviewer");

    private static readonly IntakeQuestions Questions = new(ConnectorCatalogue.Default);
    private static readonly TierClassifier Classifier = new(ConnectorCatalogue.Default);

    private static readonly IntakeAnswers InvoiceApproval = new()
    {
        SolutionName = "Invoice approval tracker",
        Purpose = "Finance clerks log supplier invoices and route them to budget holders for approval, with reminders for overdue ones.",
        Platform = Platform.PowerApps,
        Audience = Audience.MyDepartment,
        ExpectedUsers = 85,
        DataSources = ["sharepoint", "outlook"],
        Sensitivity = DataSensitivity.Internal,
        CustomCode = CustomCode.None,
    };

    private static readonly IntakeAnswers TeamRota = new()
    {
        SolutionName = "Team holiday rota",
        Purpose = "Plan who covers the front desk during the holidays.",
        Platform = Platform.PowerApps,
        Audience = Audience.MyTeam,
        ExpectedUsers = 9,
        DataSources = [DataSourceKinds.None],
        Sensitivity = DataSensitivity.Internal,
        CustomCode = CustomCode.None,
    };

    public static IReadOnlyList<(string Name, JsonObject Card)> Build()
    {
        var intake = new IntakeCards(Questions, ConnectorCatalogue.Default);
        var review = new ReviewCard(Questions, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Submitted.AddHours(3)));
        var pending = ReviewRequest();
        var approved = pending with { Status = RequestStatus.Approved, Reviewer = Reviewer, UpdatedAt = Submitted.AddHours(20), LastComment = "Looks good. Please name a backup owner in the app's settings page." };

        return
        [
            ("help", HelpCard.Build(inChannel: true)),
            ("help-maker", HelpCard.Build(inChannel: false)),
            ("help-admin", HelpCard.Build(inChannel: false, isReviewer: true, isAdmin: true)),
            ("intake-answered", intake.Closed(IntakeQuestions.AudienceKey, new IntakeState { Step = IntakeQuestions.Users, Answers = InvoiceApproval })),
            ("welcome", new WelcomeCards(Options.Create(new OnboardingOptions
            {
                TrainingUrl = new Uri("https://contoso.sharepoint.com/sites/coe/training"),
                GuidelinesUrl = new Uri("https://contoso.sharepoint.com/sites/coe/guidelines"),
            })).Personal()),
            ("intake-question", intake.Question(new AskQuestion(
                new IntakeState { Step = IntakeQuestions.DataSources, Answers = InvoiceApproval with { DataSources = null } },
                Questions.Get(IntakeQuestions.DataSources), Problem: null, Suggestion: "sharepoint,outlook"))),
            ("intake-form", new IntakeForm(Questions, ConnectorCatalogue.Default).Card(
                new Dictionary<string, string> { [IntakeQuestions.Name] = "Invoice approval", [IntakeQuestions.Users] = "lots" },
                new Dictionary<string, string> { [IntakeQuestions.Users] = AnswerReader.Read(Questions.Get(IntakeQuestions.Users), "lots").Error! })),
            ("intake-summary", intake.Summary(new ShowSummary(
                new IntakeState { Step = IntakeState.SummaryStep, Answers = InvoiceApproval }, Classifier.Classify(InvoiceApproval), Problem: null), Suggestions())),
            ("intake-submitted", RequestSubmission.SubmittedCard(pending, Classifier.Classify(InvoiceApproval), [])),
            ("self-certification", SelfCertification.Checklist(TierOneRequest(), problem: null)),
            ("review-pending", review.Build(pending, ReviewHistory(pending), reader: ReviewCardReader.Reviewer)),
            ("review-maker", review.Build(pending, ReviewHistory(pending), reader: ReviewCardReader.Maker, refreshFor: [Reviewer.Id, Maker.Id])),
            ("review-approved", review.Build(approved, reader: ReviewCardReader.Channel, history: [.. ReviewHistory(pending), Event(pending, RequestActions.Approved, Submitted.AddHours(20), Reviewer, RequestStatus.Approved)])),
            ("digest", DigestCard.Build(Digest(), preview: false)),
            ("portfolio-review", new PortfolioReviewCard(Questions).Build(
                TierOneRequest() with { Status = RequestStatus.SelfCertified, PortfolioCheck = new PortfolioCheck(1, Submitted.AddDays(90)) }, round: 1)),
            ("portfolio", PortfolioCard.Build(Portfolio(), "all requests")),
        ];
    }

    private static List<SuggestedComponent> Suggestions() =>
    [
        new(new CatalogueComponent
        {
            Id = "invoice approval flow",
            Name = "Invoice approval flow",
            Description = "Multi-stage approval with budget-holder lookup, reminders and an audit trail. Security-reviewed.",
            Tags = ["approval", "invoice", "sharepoint"],
            Tiers = [2, 3],
            Link = new Uri("https://contoso.sharepoint.com/sites/coe/components/invoice-approval"),
            Owner = "CoE platform team",
            AddedBy = Reviewer,
            AddedAt = Submitted.AddDays(-30),
        }, new Uri("https://fusionbot.contoso.com/components/open")),
    ];

    /// <summary>A quarter's portfolio: eight requests, some in use with hours saved, one outgrown, one review overdue.</summary>
    private static PortfolioFigures Portfolio()
    {
        var now = Submitted.AddDays(120);
        List<PortfolioEntry> entries = [];
        for (var i = 0; i < 8; i++)
        {
            var tier = new[] { 2, 2, 2, 1, 3, 4, 1, 2 }[i];
            var status = new[] { RequestStatus.Approved, RequestStatus.Approved, RequestStatus.ChangesRequested, RequestStatus.SelfCertified,
                RequestStatus.DesignReviewScheduled, RequestStatus.PendingReview, RequestStatus.SelfCertified, RequestStatus.Approved }[i];
            var created = Submitted.AddDays(i);
            var request = ReviewRequest() with
            {
                Id = $"FR-0001{i + 1:00}",
                Tier = tier,
                Status = status,
                CreatedAt = created,
                Answers = InvoiceApproval with { HoursSavedPerWeek = new double?[] { 4, 2, null, 1.5, null, null, 1, 3 }[i] },
                PortfolioCheck = i switch
                {
                    1 => new PortfolioCheck(1, now.AddDays(-40)),
                    4 => new PortfolioCheck(1, now.AddDays(-20), now.AddDays(-18), OutgrewTier: 1),
                    _ => null,
                },
            };
            var decided = PortfolioReviews.InUse(status) || status == RequestStatus.DesignReviewScheduled;
            entries.Add(new PortfolioEntry(request, decided ? created.AddHours(6 + (i * 5)) : null)
            {
                ReviewWindows = decided && tier > 1 ? [new TimeToDecision.Window(request.Id, tier, created, created.AddHours(6 + (i * 5)))] : [],
            });
        }

        return PortfolioOracle.Calculate(entries, now, TimeSpan.FromDays(14));
    }

    private static GovernanceRequest ReviewRequest()
    {
        var classification = Classifier.Classify(InvoiceApproval);
        return new GovernanceRequest
        {
            Id = "FR-000042",
            TenantId = "contoso",
            Title = InvoiceApproval.SolutionName!,
            Answers = InvoiceApproval,
            Tier = classification.Tier,
            Reasons = classification.Reasons,
            Status = RequestStatus.PendingReview,
            Maker = Maker,
            CreatedAt = Submitted,
            UpdatedAt = Submitted,
            DueAt = Submitted.AddHours(48),
            ReviewCycle = 1,
        };
    }

    private static List<RequestHistoryEvent> ReviewHistory(GovernanceRequest request) =>
    [
        Event(request, RequestActions.Submitted, Submitted, Maker, RequestStatus.Submitted),
        Event(request, RequestActions.SentForReview, Submitted, RequestActors.FusionBot, RequestStatus.PendingReview),
    ];

    private static RequestHistoryEvent Event(GovernanceRequest request, string action, DateTimeOffset at, Person actor, RequestStatus after) => new()
    {
        RequestId = request.Id,
        At = at,
        Action = action,
        Actor = actor,
        StatusAfter = after,
        TierAfter = request.Tier,
    };

    /// <summary>The checklist of a Tier 1 request stored the way the bot stores it, in an embedded SQLite file.</summary>
    private static GovernanceRequest TierOneRequest()
    {
        var classification = Classifier.Classify(TeamRota);
        return new GovernanceRequest
        {
            Id = "FR-000043",
            TenantId = "contoso",
            Title = TeamRota.SolutionName!,
            Answers = TeamRota,
            Tier = classification.Tier,
            Reasons = classification.Reasons,
            Status = RequestStatus.Submitted,
            Maker = Maker,
            CreatedAt = Submitted,
            UpdatedAt = Submitted,
        };
    }

    /// <summary>A week of eight requests: new ones of every tier, decisions on time and late, a reclassification.</summary>
    private static DigestRecord Digest()
    {
        var from = new DateTimeOffset(2026, 11, 16, 9, 0, 0, TimeSpan.Zero);
        var to = from.AddDays(7);
        List<GovernanceRequest> requests = [];
        Dictionary<string, IReadOnlyList<RequestHistoryEvent>> history = [];

        void Seed(int number, int tier, double createdDays, Platform platform, string[] sources, string purpose, double? decidedHours, string? decision, bool breached = false)
        {
            var created = from.AddDays(createdDays);
            var request = ReviewRequest() with
            {
                Id = $"FR-0001{number:00}",
                Tier = tier,
                CreatedAt = created,
                DueAt = created.AddHours(48),
                SlaBreachedAt = breached ? created.AddHours(48) : null,
                Answers = InvoiceApproval with { Platform = platform, DataSources = sources, Purpose = purpose },
            };
            List<RequestHistoryEvent> events = [Event(request, RequestActions.Submitted, created, Maker, RequestStatus.Submitted)];
            if (tier == 1)
            {
                events.Add(Event(request, RequestActions.SelfCertified, created.AddHours(1), Maker, RequestStatus.SelfCertified));
            }
            else
            {
                events.Add(Event(request, RequestActions.SentForReview, created, Maker, RequestStatus.PendingReview));
            }

            if (decidedHours is { } hours && decision is not null)
            {
                events.Add(Event(request, decision, created.AddHours(hours), Reviewer, Enum.Parse<RequestStatus>(decision)));
            }

            requests.Add(request);
            history[request.Id] = events;
        }

        Seed(1, 2, 0.1, Platform.PowerApps, ["sharepoint", "outlook"], "Track invoice approvals for finance", 20, RequestActions.Approved);
        Seed(2, 2, 0.3, Platform.PowerAutomate, ["sharepoint", "teams"], "Invoice reminders for overdue suppliers", 30, RequestActions.Approved);
        Seed(3, 2, 1.0, Platform.PowerAutomate, ["outlook", "excel-online"], "Weekly sales report from Excel to Teams", 60, RequestActions.ChangesRequested, breached: true);
        Seed(4, 1, 1.2, Platform.CopilotStudio, [DataSourceKinds.None], "Answer onboarding questions for new starters", null, null);
        Seed(5, 3, 2.0, Platform.PowerApps, [DataSourceKinds.ExternalApi, "dataverse"], "Onboarding checklist app for new starters", 26, RequestActions.DesignReviewScheduled);
        Seed(6, 4, 2.5, Platform.Other, [DataSourceKinds.EnterpriseSystem], "Payroll onboarding integration with SAP", null, null, breached: true);
        Seed(7, 1, 3.0, Platform.PowerApps, [DataSourceKinds.None], "Team holiday rota", null, null);
        Seed(8, 2, 4.0, Platform.PowerApps, ["sharepoint"], "Room booking for the finance floor", 8, RequestActions.Approved);

        var figures = FusionBot.UnitTests.Digest.IndexedInputs.Compute(requests, history, from, to, id => ConnectorCatalogue.Default.Check(id).Connector.Name);
        return new DigestRecord
        {
            Id = DigestRecord.IdFor("contoso", DateOnly.FromDateTime(to.UtcDateTime)),
            TenantId = "contoso",
            Figures = figures,
            Note = "Maker office hours move to Thursdays at 14:00. Bring your flows!",
            PreparedAt = to,
        };
    }
}
