using System.Net;
using FusionBot.Cards;
using FusionBot.Features.Digest;
using FusionBot.Features.Outbox;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.TestKit.Azurite;
using FusionBot.TestKit.Cards;

namespace FusionBot.FunctionalTests.Tenancy;

/// <summary>
/// Two tenants on one bot, two admins, two review channels, two community channels: nothing of one tenant reaches
/// the other, in every feature that posts or lists. Run on the embedded store and on Table Storage (azurite).
/// </summary>
public abstract class CrossTenantTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    protected abstract AzuriteTableServer? TableStorage { get; }

    [Fact]
    public async Task Routes_waiting_requests_cards_and_SLA_escalations_stay_in_their_own_tenant()
    {
        await using var t = await TwoTenants.StartAsync(TableStorage, new Dictionary<string, string?>
        {
            ["Sla:Tier2"] = "00:00:05",
            ["Outbox:SweepInterval"] = "00:00:00.200",
        });
        var (a, b) = (t.A, t.B);
        await t.SayAsync(a, "help", a.Admin);
        await t.SayAsync(b, "help", b.Admin);
        Assert.Contains("Done", await t.InChannelAsync(a, "register tier 2", a.Admin, a.Tier2Channel), StringComparison.Ordinal);
        Assert.Contains("Done", await t.InChannelAsync(a, "register community", a.Admin, a.CommunityChannel), StringComparison.Ordinal);

        // B lists only its own routes, and A's admin id is no admin in B (nor B's in A).
        var listedInB = await t.InChannelAsync(b, "channels", b.Admin, b.CommunityChannel);
        Assert.Contains("Tier 2 reviews: not set", listedInB, StringComparison.Ordinal);
        Assert.DoesNotContain(Listed(a.Tier2Channel), listedInB, StringComparison.Ordinal);
        Assert.DoesNotContain(Listed(a.CommunityChannel), listedInB, StringComparison.Ordinal);
        Assert.Contains("Only CoE admins", await t.InChannelAsync(b, "register tier 2", a.Admin, b.Tier2Channel), StringComparison.Ordinal);
        Assert.Contains("Only CoE admins", await t.InChannelAsync(a, "channels", b.Admin, a.Tier2Channel), StringComparison.Ordinal);

        // B's Tier 2 request waits for B's channel: A's is not B's.
        var requestOfB = await t.SubmitAsync(b, 2, "Bravo payroll");
        Assert.Equal(RequestStatus.PendingRouting, (await t.RequestAsync(b, requestOfB.Id)).Status);

        // A's Tier 3 request waits; B registering its Tier 3 channel does not release it.
        var tier3OfA = await t.SubmitAsync(a, 3, "Alpha supplier portal");
        Assert.Equal(RequestStatus.PendingRouting, (await t.RequestAsync(a, tier3OfA.Id)).Status);
        Assert.DoesNotContain("waiting request", await t.InChannelAsync(b, "register tier 3", b.Admin, b.Tier3Channel), StringComparison.Ordinal);
        Assert.Equal(RequestStatus.PendingRouting, (await t.RequestAsync(a, tier3OfA.Id)).Status);
        Assert.Contains("1 waiting request is being posted now", await t.InChannelAsync(a, "register tier 3", a.Admin, a.Tier3Channel), StringComparison.Ordinal);
        Assert.Equal(a.Tier3Channel, await t.CardPostedToAsync(tier3OfA.Id));

        // B's `register tier 2` sends B's waiting request to B's channel and leaves A's route alone.
        Assert.Contains("1 waiting request is being posted now", await t.InChannelAsync(b, "register tier 2", b.Admin, b.Tier2Channel), StringComparison.Ordinal);
        Assert.Contains("Done", await t.InChannelAsync(b, "register community", b.Admin, b.CommunityChannel), StringComparison.Ordinal);
        Assert.Equal(b.Tier2Channel, await t.CardPostedToAsync(requestOfB.Id));
        var requestOfA = await t.SubmitAsync(a, 2, "Alpha expenses");
        Assert.Equal(a.Tier2Channel, await t.CardPostedToAsync(requestOfA.Id));
        var listedInA = await t.InChannelAsync(a, "channels", a.Admin, a.Tier2Channel);
        Assert.Contains($"Tier 2 reviews: {Listed(a.Tier2Channel)}", listedInA, StringComparison.Ordinal);
        Assert.DoesNotContain(Listed(b.Tier2Channel), listedInA, StringComparison.Ordinal);

        // Unregistering from B, even naming A's channel, changes nothing in A.
        Assert.Contains("was not registered", await t.InChannelAsync(b, "unregister tier 2", b.Admin, a.Tier2Channel), StringComparison.Ordinal);
        Assert.Contains($"Tier 2 reviews: {Listed(a.Tier2Channel)}", await t.InChannelAsync(a, "channels", a.Admin, a.Tier2Channel), StringComparison.Ordinal);

        // Both Tier 2 reviews breach: each tenant's admin, community channel and maker hear of their own request only.
        var dueWork = t.Get<IDueWorkStore>();
        foreach (var (side, other, request) in new[] { (a, b, requestOfA), (b, a, requestOfB) })
        {
            var ownItems = new[]
            {
                $"sla:{request.Id}:1:breach:admin:{side.Admin.AadObjectId}",
                $"sla:{request.Id}:1:breach:channel:{side.CommunityChannel}",
                $"sla:{request.Id}:1:breach:maker",
            };
            await Digest.DigestTestData.WaitUntilAsync(async () =>
            {
                foreach (var id in ownItems)
                {
                    if ((await dueWork.GetStatusAsync(id))?.State != DueWorkState.Completed)
                    {
                        return false;
                    }
                }

                return true;
            }, Generous, () => $"the breach of {request.Id} never reached its tenant's admin, channel and maker");
            Assert.Null(await dueWork.GetStatusAsync($"sla:{request.Id}:1:breach:admin:{other.Admin.AadObjectId}"));
            Assert.Null(await dueWork.GetStatusAsync($"sla:{request.Id}:1:breach:channel:{other.CommunityChannel}"));
            Assert.Contains(t.Connector.Calls, c => c.Succeeded && TwoTenants.Destination(c) == side.CommunityChannel && c.Body.Contains(request.Id, StringComparison.Ordinal));
            Assert.Contains(t.Connector.Calls, c => c.Succeeded && TwoTenants.Destination(c) == side.Activities.PersonalConversation(side.Admin).Id
                && c.Body.Contains(request.Id, StringComparison.Ordinal));
        }

        t.AssertNothingCrossed([requestOfA.Id, tier3OfA.Id, "Alpha"], [requestOfB.Id, "Bravo"]);
        await AdaptiveCardValidator.AssertValidAsync([.. t.Bot.CardsSent()]);
    }

    [Fact]
    public async Task Digest_previews_broadcasts_and_subscribers_are_each_tenants_own()
    {
        await using var t = await TwoTenants.StartAsync(TableStorage, new Dictionary<string, string?>
        {
            ["Digest:MaxSendsPerSecond"] = "200",
            ["Outbox:SweepInterval"] = "00:00:01",
        });
        var (a, b) = (t.A, t.B);
        foreach (var side in new[] { a, b })
        {
            await t.SayAsync(side, "help", side.Admin);
            await t.SayAsync(side, "subscribe digest", side.Maker);
            Assert.Contains("Done", await t.InChannelAsync(side, "register community", side.Admin, side.CommunityChannel), StringComparison.Ordinal);
        }

        var requestOfA = await t.SubmitAsync(a, 2, "Alpha expenses");
        var requestOfB = await t.SubmitAsync(b, 2, "Bravo payroll");

        // The preview is the caller's tenant's digest; B's admin id previews nothing in A.
        Assert.Contains("Only CoE admins", await t.SayAsync(a, "digest preview", b.Admin), StringComparison.Ordinal);
        var previewOfA = await t.SayAsync(a, "digest preview", a.Admin);
        Assert.Contains("Preview", previewOfA, StringComparison.Ordinal);

        // A's broadcast reaches A's community channel and subscriber only.
        Assert.Contains("Sending the digest", await t.SayAsync(a, "digest send", a.Admin), StringComparison.Ordinal);
        await Digest.DigestTestData.WaitUntilAsync(() => Delivered(t).Keys.ToHashSet().SetEquals([a.CommunityChannel, MakerChat(a)]), Generous,
            () => "Delivered: " + string.Join(", ", Delivered(t).Keys));
        Assert.Contains("No digest yet", await t.SayAsync(b, "digest status", b.Admin), StringComparison.Ordinal);

        // B's own broadcast then reaches B's, once each, and A's are not sent to again.
        Assert.Contains("Sending the digest", await t.SayAsync(b, "digest send", b.Admin), StringComparison.Ordinal);
        await Digest.DigestTestData.WaitUntilAsync(() => Delivered(t).Count == 4, Generous, () => "Delivered: " + string.Join(", ", Delivered(t).Keys));
        Assert.All(Delivered(t).Values, count => Assert.Equal(1, count));
        Assert.Equal(new[] { MakerChat(b), b.CommunityChannel }.Order(StringComparer.Ordinal), Delivered(t).Keys.Where(b.Conversations.Contains).Order(StringComparer.Ordinal));

        // The scheduled run prepares each tenant's digest and previews it to that tenant's admin alone.
        var occurrence = DateTimeOffset.UtcNow.AddDays(1);
        await t.Get<WorkOutbox>().EnqueueAsync("digest-run:cross-tenant", DigestRunHandler.RunKind, new DigestRunPayload(occurrence));
        await Digest.DigestTestData.WaitUntilAsync(() => Previews(t, a) == 1 && Previews(t, b) == 1, Generous,
            () => $"previews: A {Previews(t, a)}, B {Previews(t, b)}");

        t.AssertNothingCrossed([requestOfA.Id, "Alpha"], [requestOfB.Id, "Bravo"]);
        await AdaptiveCardValidator.AssertValidAsync([.. t.Bot.CardsSent()]);
    }

    [Fact]
    public async Task A_component_opened_in_one_tenant_counts_only_there()
    {
        await using var t = await TwoTenants.StartAsync(TableStorage);
        var (a, b) = (t.A, t.B);
        var catalogue = t.Get<IComponentCatalogueStore>();
        foreach (var side in new[] { a, b })
        {
            await catalogue.AddAsync(side.TenantId, new CatalogueComponent
            {
                Id = "expense approval flow",
                Name = "Expense approval flow",
                Description = "Approved building block for approvals",
                Tags = ["approval"],
                Tiers = [1, 2, 3],
                Link = new Uri("https://coe.example/components/approval"),
                Owner = "CoE platform team",
                AddedBy = new Person(side.Admin.Id, side.Admin.AadObjectId, side.Admin.Name),
                AddedAt = DateTimeOffset.UtcNow,
            });
        }

        var summary = await t.IntakeToSummaryAsync(b, 2, "Expense tracker", "Approve team expenses");
        using var client = t.Bot.CreateClient(followRedirects: false);
        using var opened = await client.GetAsync(new Uri(TwoTenants.OpenUrl(summary, "Open Expense approval flow")).PathAndQuery);

        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        Assert.Equal(b.Maker.AadObjectId, Assert.Single(await catalogue.ListOpensAsync(b.TenantId)).UserId);
        Assert.Empty(await catalogue.ListOpensAsync(a.TenantId));
        Assert.Contains("opened by 1 maker", await t.SayAsync(b, "components", b.Admin), StringComparison.Ordinal);
        Assert.Contains("opened by 0 makers", await t.SayAsync(a, "components", a.Admin), StringComparison.Ordinal);
    }

    private static string MakerChat(TenantSide side) => side.Activities.PersonalConversation(side.Maker).Id!;

    private static string AdminChat(TenantSide side) => side.Activities.PersonalConversation(side.Admin).Id!;

    /// <summary>A channel as <c>channels</c> lists it (no name known: its id, escaped for markdown).</summary>
    private static string Listed(string channelId) => CardText.EscapeLine(channelId);

    /// <summary>Digests delivered (not previews), by destination.</summary>
    private static Dictionary<string, int> Delivered(TwoTenants t) => t.Connector.Calls
        .Where(c => c.Succeeded && c.Activity?.Summary?.StartsWith("Weekly digest", StringComparison.Ordinal) == true)
        .Select(c => TwoTenants.Destination(c) ?? "?")
        .Where(destination => destination != AdminChat(t.A) && destination != AdminChat(t.B))
        .GroupBy(destination => destination)
        .ToDictionary(g => g.Key, g => g.Count());

    private static int Previews(TwoTenants t, TenantSide side) => t.Connector.Calls.Count(c => c.Succeeded
        && TwoTenants.Destination(c) == AdminChat(side)
        && c.Activity?.Summary?.StartsWith("Weekly digest", StringComparison.Ordinal) == true);
}

public sealed class CrossTenantOnSqliteTests : CrossTenantTests
{
    protected override AzuriteTableServer? TableStorage => null;
}

public sealed class CrossTenantOnTableStorageTests(AzuriteFixture azurite) : CrossTenantTests, IClassFixture<AzuriteFixture>
{
    protected override AzuriteTableServer? TableStorage => azurite.Server;
}
