using FusionBot.Requests;
using FusionBot.TestKit;
using FusionBot.TestKit.Graph;

namespace FusionBot.FunctionalTests.Review;

/// <summary>Reviewers and admins named by an Entra group: membership asked of (fake) Microsoft Graph with an app token.</summary>
public sealed class ReviewerGroupTests : IAsyncLifetime
{
    private const string ReviewerGroup = "f0000000-0000-0000-0000-00000000beef";
    private const string AdminGroup = "f0000000-0000-0000-0000-00000000ad01";
    private ReviewHarness _h = null!;

    public async Task InitializeAsync() => _h = await ReviewHarness.StartAsync(new Dictionary<string, string?>
    {
        ["Review:ReviewerGroupId"] = ReviewerGroup,
        ["Governance:AdminGroupId"] = AdminGroup,
    });

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Group_members_may_review_and_register_and_others_may_not()
    {
        var groupReviewer = new TeamsUser("29:group-reviewer", "Gia Group", "f1111111-1111-1111-1111-111111111111");
        var groupAdmin = new TeamsUser("29:group-admin", "Gus Admin", "f2222222-2222-2222-2222-222222222222");
        _h.Graph.AddGroupMember(groupReviewer.AadObjectId, ReviewerGroup);
        _h.Graph.AddGroupMember(groupAdmin.AadObjectId, AdminGroup);

        Assert.Contains("Only CoE admins", await _h.InChannelAsync("register tier 2", groupReviewer, ReviewHarness.Tier2Channel));
        Assert.Contains("now go to this channel", await _h.InChannelAsync("register tier 2", groupAdmin, ReviewHarness.Tier2Channel));

        var id = await _h.SubmitAsync(2);
        await _h.PostedAsync(id);
        var refused = await _h.ClickAsync("review.approve", id, ReviewHarness.Outsider);
        Assert.Equal(403, refused["statusCode"]!.GetValue<int>());

        await _h.ClickAsync("review.approve", id, groupReviewer);
        Assert.Equal(RequestStatus.Approved, (await _h.RequestAsync(id)).Status);

        var checks = _h.Graph.Calls.Where(c => c.Path.EndsWith("/checkMemberGroups", StringComparison.Ordinal)).ToList();
        Assert.Contains(checks, c => c.Path == $"/v1.0/users/{groupReviewer.AadObjectId}/checkMemberGroups");
        Assert.All(checks, c => Assert.Equal("Bearer " + FakeGraphServer.AccessToken, c.Authorization));
    }
}
