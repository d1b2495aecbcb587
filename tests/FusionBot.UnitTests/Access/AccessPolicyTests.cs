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
    private const string Tenant = "tenant-a";
    private const string OtherTenant = "tenant-b";
    private static readonly Person Ravi = new("29:ravi", "b2222222-2222-2222-2222-222222222222", "Ravi");
    private readonly FakeTimeProvider _time = new();
    private readonly Mock<IGroupMembership> _directory = new();

    private AccessPolicy Policy(IGroupMembership? directory, string[]? adminIds = null, GovernanceOptions? governance = null) => new(
        Microsoft.Extensions.Options.Options.Create(governance ?? new GovernanceOptions { AdminIds = [.. adminIds ?? []] }),
        Microsoft.Extensions.Options.Options.Create(new ReviewOptions { ReviewerGroupId = ReviewersGroup, MembershipCacheDuration = TimeSpan.FromMinutes(5) }),
        _time, NullLogger<AccessPolicy>.Instance, directory);

    [Fact]
    public async Task A_group_member_is_a_reviewer_and_the_answer_is_cached_for_the_configured_time()
    {
        _directory.Setup(d => d.IsMemberAsync(Ravi.AadObjectId!, ReviewersGroup, It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var policy = Policy(_directory.Object);

        Assert.True(await policy.IsReviewerAsync(Ravi, Tenant, CancellationToken.None));
        Assert.True(await policy.IsReviewerAsync(Ravi, Tenant, CancellationToken.None));
        _directory.Verify(d => d.IsMemberAsync(Ravi.AadObjectId!, ReviewersGroup, It.IsAny<CancellationToken>()), Times.Once);

        _time.Advance(TimeSpan.FromMinutes(6));
        Assert.True(await policy.IsReviewerAsync(Ravi, Tenant, CancellationToken.None));
        _directory.Verify(d => d.IsMemberAsync(Ravi.AadObjectId!, ReviewersGroup, It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task A_failing_directory_denies_without_caching_the_failure()
    {
        _directory.SetupSequence(d => d.IsMemberAsync(Ravi.AadObjectId!, ReviewersGroup, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new HttpRequestException("graph down"))
            .ReturnsAsync(true);
        var policy = Policy(_directory.Object);

        Assert.False(await policy.IsReviewerAsync(Ravi, Tenant, CancellationToken.None));
        Assert.True(await policy.IsReviewerAsync(Ravi, Tenant, CancellationToken.None));
    }

    [Fact]
    public async Task Without_a_directory_a_configured_group_recognises_nobody_but_listed_admins_still_review()
    {
        Assert.False(await Policy(null).IsReviewerAsync(Ravi, Tenant, CancellationToken.None));
        Assert.True(await Policy(null, [Ravi.AadObjectId!]).IsReviewerAsync(Ravi, Tenant, CancellationToken.None));
    }

    [Fact]
    public async Task Someone_without_an_Entra_object_id_is_never_an_admin_or_reviewer()
    {
        var anonymous = new Person("29:someone", null, "Someone");

        Assert.False(await Policy(_directory.Object, ["29:someone"]).IsAdminAsync(anonymous, Tenant, CancellationToken.None));
        _directory.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Ids_listed_for_the_configured_tenant_count_only_in_that_tenant()
    {
        var policy = Policy(_directory.Object, governance: new GovernanceOptions { TenantId = Tenant, AdminIds = [Ravi.AadObjectId!] });

        Assert.True(await policy.IsAdminAsync(Ravi, Tenant, CancellationToken.None));
        Assert.False(await policy.IsAdminAsync(Ravi, OtherTenant, CancellationToken.None));
        Assert.Equal([Ravi.AadObjectId!], policy.AdminIdsOf(Tenant));
        Assert.Empty(policy.AdminIdsOf(OtherTenant));
    }

    [Fact]
    public async Task A_tenant_of_its_own_uses_only_its_own_lists()
    {
        var megan = new Person("29:megan", "f6666666-6666-6666-6666-666666666666", "Megan");
        var policy = Policy(_directory.Object, governance: new GovernanceOptions
        {
            AdminIds = [Ravi.AadObjectId!],
            Tenants = new() { [OtherTenant.ToUpperInvariant()] = new TenantAccessOptions { AdminIds = [megan.AadObjectId!], ReviewerIds = [Ravi.AadObjectId!] } },
        });

        Assert.True(await policy.IsAdminAsync(Ravi, Tenant, CancellationToken.None));
        Assert.False(await policy.IsAdminAsync(Ravi, OtherTenant, CancellationToken.None));
        Assert.True(await policy.IsReviewerAsync(Ravi, OtherTenant, CancellationToken.None));
        Assert.True(await policy.IsAdminAsync(megan, OtherTenant, CancellationToken.None));
        Assert.False(await policy.IsAdminAsync(megan, Tenant, CancellationToken.None));
        Assert.Equal([megan.AadObjectId!], policy.AdminIdsOf(OtherTenant));
    }

    [Fact]
    public async Task A_group_answer_in_one_tenant_is_not_reused_in_another()
    {
        _directory.Setup(d => d.IsMemberAsync(Ravi.AadObjectId!, ReviewersGroup, It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var policy = Policy(_directory.Object, governance: new GovernanceOptions
        {
            Tenants = new()
            {
                [Tenant] = new TenantAccessOptions { ReviewerGroupId = ReviewersGroup },
                [OtherTenant] = new TenantAccessOptions { ReviewerGroupId = ReviewersGroup },
            },
        });

        Assert.True(await policy.IsReviewerAsync(Ravi, Tenant, CancellationToken.None));
        Assert.True(await policy.IsReviewerAsync(Ravi, OtherTenant, CancellationToken.None));
        _directory.Verify(d => d.IsMemberAsync(Ravi.AadObjectId!, ReviewersGroup, It.IsAny<CancellationToken>()), Times.Exactly(2));
    }
}
