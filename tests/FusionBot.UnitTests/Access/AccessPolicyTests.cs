using FusionBot.Features.Access;
using FusionBot.Requests;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace FusionBot.UnitTests.Access;

/// <summary>The directory (Microsoft Graph) is the edge here, so it is mocked.</summary>
public sealed class AccessPolicyTests
{
    private const string ReviewersGroup = "g-reviewers";
    private static readonly Person Ravi = new("29:ravi", "b2222222-2222-2222-2222-222222222222", "Ravi");
    private readonly FakeTimeProvider _time = new();
    private readonly Mock<IGroupMembership> _directory = new();

    private AccessPolicy Policy(IGroupMembership? directory, string[]? adminIds = null) => new(
        Microsoft.Extensions.Options.Options.Create(new GovernanceOptions { AdminIds = [.. adminIds ?? []] }),
        Microsoft.Extensions.Options.Options.Create(new ReviewOptions { ReviewerGroupId = ReviewersGroup, MembershipCacheDuration = TimeSpan.FromMinutes(5) }),
        _time, NullLogger<AccessPolicy>.Instance, directory);

    [Fact]
    public async Task A_group_member_is_a_reviewer_and_the_answer_is_cached_for_the_configured_time()
    {
        _directory.Setup(d => d.IsMemberAsync(Ravi.AadObjectId!, ReviewersGroup, It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var policy = Policy(_directory.Object);

        Assert.True(await policy.IsReviewerAsync(Ravi, CancellationToken.None));
        Assert.True(await policy.IsReviewerAsync(Ravi, CancellationToken.None));
        _directory.Verify(d => d.IsMemberAsync(Ravi.AadObjectId!, ReviewersGroup, It.IsAny<CancellationToken>()), Times.Once);

        _time.Advance(TimeSpan.FromMinutes(6));
        Assert.True(await policy.IsReviewerAsync(Ravi, CancellationToken.None));
        _directory.Verify(d => d.IsMemberAsync(Ravi.AadObjectId!, ReviewersGroup, It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task A_failing_directory_denies_without_caching_the_failure()
    {
        _directory.SetupSequence(d => d.IsMemberAsync(Ravi.AadObjectId!, ReviewersGroup, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new HttpRequestException("graph down"))
            .ReturnsAsync(true);
        var policy = Policy(_directory.Object);

        Assert.False(await policy.IsReviewerAsync(Ravi, CancellationToken.None));
        Assert.True(await policy.IsReviewerAsync(Ravi, CancellationToken.None));
    }

    [Fact]
    public async Task Without_a_directory_a_configured_group_recognises_nobody_but_listed_admins_still_review()
    {
        Assert.False(await Policy(null).IsReviewerAsync(Ravi, CancellationToken.None));
        Assert.True(await Policy(null, [Ravi.AadObjectId!]).IsReviewerAsync(Ravi, CancellationToken.None));
    }

    [Fact]
    public async Task Someone_without_an_Entra_object_id_is_never_an_admin_or_reviewer()
    {
        var anonymous = new Person("29:someone", null, "Someone");

        Assert.False(await Policy(_directory.Object, ["29:someone"]).IsAdminAsync(anonymous, CancellationToken.None));
        _directory.VerifyNoOtherCalls();
    }
}
