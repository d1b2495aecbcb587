using FusionBot.Requests;
using static FusionBot.Requests.GateVerdict;
using static FusionBot.Requests.RequestStatus;

namespace FusionBot.UnitTests.Requests;

/// <summary>What the pipelines gate answers for every status and tier, to a test and to a production environment.</summary>
public sealed class DeploymentGateTests
{
    private static GovernanceRequest Request(RequestStatus status, int tier, string? comment = null) => new()
    {
        Id = "FR-000042",
        TenantId = "t",
        Title = "Expenses",
        Answers = new IntakeAnswers(),
        Tier = tier,
        Reasons = [],
        Status = status,
        Maker = new Person("29:m", null, "Mia"),
        LastComment = comment,
    };

    [Theory]
    [InlineData(SelfCertified, 1, Proceed, Proceed)]
    [InlineData(Approved, 2, Proceed, AskReviewer)]
    [InlineData(Approved, 3, Proceed, Proceed)]
    [InlineData(InDevelopment, 4, Proceed, Reject)]
    [InlineData(Delivered, 4, Proceed, Proceed)]
    [InlineData(Submitted, 2, Reject, Reject)]
    [InlineData(PendingRouting, 3, Reject, Reject)]
    [InlineData(PendingReview, 2, Reject, Reject)]
    [InlineData(DesignReviewScheduled, 3, Reject, Reject)]
    [InlineData(ChangesRequested, 2, Reject, Reject)]
    [InlineData(Rejected, 4, Reject, Reject)]
    [InlineData(Withdrawn, 1, Reject, Reject)]
    [InlineData(Approved, 4, Reject, Reject)]
    [InlineData(SelfCertified, 2, Reject, Reject)]
    public void Each_status_and_tier_gets_its_answer(RequestStatus status, int tier, GateVerdict toTest, GateVerdict toProduction)
    {
        Assert.Equal(toTest, DeploymentGate.Decide(Request(status, tier), toProduction: false).Verdict);
        Assert.Equal(toProduction, DeploymentGate.Decide(Request(status, tier), toProduction: true).Verdict);
    }

    [Fact]
    public void A_rejection_names_the_request_and_the_reviewers_reason_and_tells_the_maker_what_to_do()
    {
        var decision = DeploymentGate.Decide(Request(ChangesRequested, 2, "Use the approved site"), toProduction: false);

        Assert.Equal("FR-000042 has changes requested: Use the approved site", decision.Reason);
        Assert.Contains("resubmit FR-000042", decision.MakerAdvice, StringComparison.Ordinal);
    }
}
