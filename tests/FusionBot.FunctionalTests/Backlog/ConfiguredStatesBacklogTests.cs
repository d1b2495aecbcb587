using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using FusionBot.FunctionalTests.Review;
using FusionBot.Requests;
using FusionBot.TestKit;
using FusionBot.TestKit.AzureDevOps;
using FusionBot.TestKit.Azurite;

namespace FusionBot.FunctionalTests.Backlog;

/// <summary>
/// A backlog on the Scrum process (<c>Backlog:States</c>, <c>Backlog:DoneStates</c> set): the work item moves through
/// the configured states, not Agile's, and only a configured done state delivers the request.
/// </summary>
public abstract class ConfiguredStatesBacklogTests : IAsyncLifetime
{
    private const string HookPassword = "service-hook-password-for-tests";

    private ReviewHarness _h = null!;
    private FakeAzureDevOps _devOps = null!;

    protected abstract AzuriteTableServer? TableStorage { get; }

    public async Task InitializeAsync()
    {
        _devOps = await FakeAzureDevOps.StartAsync();
        var settings = new Dictionary<string, string?>(_devOps.Configuration)
        {
            ["Backlog:TenantId"] = TeamsActivityBuilder.DefaultTenantId,
            ["Backlog:WorkItemType"] = "Product Backlog Item",
            ["Backlog:ServiceHookPassword"] = HookPassword,
            ["Backlog:States:0:Status"] = "Approved",
            ["Backlog:States:0:State"] = "Approved",
            ["Backlog:States:1:Status"] = "InDevelopment",
            ["Backlog:States:1:State"] = "Committed",
            ["Backlog:States:2:Status"] = "Delivered",
            ["Backlog:States:2:State"] = "Done",
            ["Backlog:DoneStates:0"] = "Done",
            ["Outbox:SweepInterval"] = "00:00:01",
        };
        _h = await ReviewHarness.StartAsync(settings, TableStorage);
    }

    public async Task DisposeAsync()
    {
        await _h.DisposeAsync();
        await _devOps.DisposeAsync();
    }

    private async Task<FakeWorkItem> InStateAsync(string state)
    {
        for (var i = 0; i < 300; i++)
        {
            if (_devOps.WorkItems.FirstOrDefault(w => w.Fields.GetValueOrDefault("System.State") == state) is { } item)
            {
                return item;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No work item reached {state}: {string.Join(", ", _devOps.WorkItems.Select(w => w.Fields["System.State"]))}");
    }

    private async Task<HttpResponseMessage> HookAsync(JsonObject body)
    {
        using var client = _h.Bot.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/backlog/servicehook") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("azure-devops:" + HookPassword)));
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task A_tier_4_item_moves_through_the_configured_states_and_only_a_configured_done_state_delivers_it()
    {
        await _h.RegisterAsync(4, ReviewHarness.Tier4Channel);
        var id = await _h.SubmitAsync(4, "Vendor onboarding");
        await _h.PostedAsync(id);
        await _h.ClickAsync("review.own", id, TeamsUser.Reviewer);

        var item = await InStateAsync("Committed");
        Assert.Equal("Product Backlog Item", item.Type);
        Assert.Equal(["Committed"], item.States);

        // Agile's done state is not one of this process's: acknowledged, and nothing changes.
        _devOps.SetState(item.Id, "Closed");
        Assert.Equal(HttpStatusCode.OK, (await HookAsync(_devOps.WorkItemUpdated(item.Id, "Committed", "Closed"))).StatusCode);
        Assert.Equal(RequestStatus.InDevelopment, (await _h.RequestAsync(id)).Status);

        _devOps.SetState(item.Id, "Done");
        Assert.Equal(HttpStatusCode.OK, (await HookAsync(_devOps.WorkItemUpdated(item.Id, "Closed", "Done"))).StatusCode);

        Assert.Equal(RequestStatus.Delivered, (await _h.RequestAsync(id)).Status);
        Assert.Single(await _h.HistoryAsync(id), e => e.Action == RequestActions.Delivered);
        Assert.DoesNotContain(_devOps.WorkItems.Single().States, s => s is "Active" or "New");
    }

    [Fact]
    public async Task A_tier_3_approval_moves_its_new_item_to_the_configured_approved_state()
    {
        await _h.RegisterAsync(3, ReviewHarness.Tier3Channel);
        var id = await _h.SubmitAsync(3);
        await _h.PostedAsync(id);
        await _h.ClickAsync("review.approve", id, TeamsUser.Reviewer);

        var item = await InStateAsync("Approved");

        Assert.Equal(["Approved"], item.States);
        Assert.Equal(item.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), (await _h.RequestAsync(id)).BacklogItem?.Id);
    }
}

public sealed class ConfiguredStatesBacklogOnSqliteTests : ConfiguredStatesBacklogTests
{
    protected override AzuriteTableServer? TableStorage => null;
}

public sealed class ConfiguredStatesBacklogOnTableStorageTests(AzuriteFixture azurite) : ConfiguredStatesBacklogTests, IClassFixture<AzuriteFixture>
{
    protected override AzuriteTableServer? TableStorage => azurite.Server;
}
