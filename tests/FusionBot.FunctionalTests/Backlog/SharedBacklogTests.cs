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
using FusionBot.TestKit.Cards;

namespace FusionBot.FunctionalTests.Backlog;

/// <summary>
/// The shared backlog against a fake Azure DevOps: a Tier 3/4 request approved or taken over gets one work item, the
/// item follows the request's status, and the work item's service hook delivers the request when the item is done.
/// </summary>
public abstract class SharedBacklogTests : IAsyncLifetime
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
            ["Backlog:AreaPath"] = @"Fusion\Makers",
            ["Backlog:ServiceHookPassword"] = HookPassword,
            ["Outbox:SweepInterval"] = "00:00:01",
        };
        _h = await ReviewHarness.StartAsync(settings, TableStorage);
    }

    public async Task DisposeAsync()
    {
        await _h.DisposeAsync();
        await _devOps.DisposeAsync();
    }

    private async Task<string> TakenOverTier4Async()
    {
        await _h.RegisterAsync(4, ReviewHarness.Tier4Channel);
        var id = await _h.SubmitAsync(4, "Vendor onboarding");
        await _h.PostedAsync(id);
        await _h.ClickAsync("review.own", id, TeamsUser.Reviewer);
        return id;
    }

    private async Task<GovernanceRequest> WithItemAsync(string id)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await _h.RequestAsync(id) is { BacklogItem: not null } request)
            {
                return request;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{id} never got its backlog item.");
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

    private async Task<HttpResponseMessage> HookAsync(JsonObject body, string? password = HookPassword)
    {
        using var client = _h.Bot.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/backlog/servicehook") { Content = JsonContent.Create(body) };
        if (password is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("azure-devops:" + password)));
        }

        return await client.SendAsync(request);
    }

    [Fact]
    public async Task A_tier_4_hand_over_creates_one_work_item_that_delivers_the_request_when_it_is_done()
    {
        var id = await TakenOverTier4Async();

        var request = await WithItemAsync(id);
        var item = Assert.Single(_devOps.WorkItems);
        Assert.Equal("User Story", item.Type);
        Assert.Equal($"{id}: Vendor onboarding", item.Fields["System.Title"]);
        Assert.Equal(@"Fusion\Makers", item.Fields["System.AreaPath"]);
        Assert.Contains($"FusionBot-{id}", item.Fields["System.Tags"], StringComparison.Ordinal);
        Assert.Contains($"status {id}", item.Fields["System.Description"], StringComparison.Ordinal);
        Assert.Contains("https://teams.microsoft.com/l/message/", item.Fields["System.Description"], StringComparison.Ordinal);
        Assert.Contains("Tier 4", item.Fields["System.Description"], StringComparison.Ordinal);
        Assert.Equal(item.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), request.BacklogItem!.Id);
        await InStateAsync("Active");
        await _h.CardUpdatedAsync(request.ReviewCard!, $"_workitems/edit/{item.Id}");
        var status = string.Join("\n", (await _h.Bot.SayAsync($"status {id}")).SelectMany(a => a.Attachments ?? []).Select(a => a.Content?.ToJsonString()));
        Assert.Contains($"_workitems/edit/{item.Id}", status, StringComparison.Ordinal);

        _devOps.SetState(item.Id, "Closed");
        Assert.Equal(HttpStatusCode.OK, (await HookAsync(_devOps.WorkItemUpdated(item.Id, "Active", "Closed"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await HookAsync(_devOps.WorkItemUpdated(item.Id, "Active", "Closed"))).StatusCode);

        Assert.Equal(RequestStatus.Delivered, (await _h.RequestAsync(id)).Status);
        var delivered = Assert.Single(await _h.HistoryAsync(id), e => e.Action == RequestActions.Delivered);
        Assert.Equal(RequestActors.FusionBot.Id, delivered.Actor.Id);
        await _h.MakerToldAsync("its backlog item");
        Assert.Single(await _h.HistoryAsync(id), e => e.Action == RequestActions.BacklogItemCreated);
        Assert.Single(_devOps.WorkItems);
        Assert.Empty(_devOps.UnauthorisedCalls);
        await AdaptiveCardValidator.AssertValidAsync([.. _h.AllCards]);
    }

    [Fact]
    public async Task A_reviewer_marking_the_request_delivered_closes_its_work_item()
    {
        var id = await TakenOverTier4Async();
        await WithItemAsync(id);
        await InStateAsync("Active");

        await _h.ClickAsync("review.delivered", id, TeamsUser.Reviewer);

        var item = await InStateAsync("Closed");
        Assert.Equal(["Active", "Closed"], item.States);
    }

    [Fact]
    public async Task A_creation_whose_answer_was_lost_is_retried_without_a_second_work_item()
    {
        _devOps.LoseNextCreateResponses(1);
        await _h.RegisterAsync(3, ReviewHarness.Tier3Channel);
        var id = await _h.SubmitAsync(3);
        await _h.PostedAsync(id);
        await _h.ClickAsync("review.approve", id, TeamsUser.Reviewer);

        var request = await WithItemAsync(id);

        var item = Assert.Single(_devOps.WorkItems);
        Assert.Equal(item.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), request.BacklogItem!.Id);
        Assert.Equal("New", item.Fields["System.State"]);
    }

    [Fact]
    public async Task A_tier_3_items_done_event_is_recorded_once_on_the_approved_request_without_delivering_it()
    {
        await _h.RegisterAsync(3, ReviewHarness.Tier3Channel);
        var id = await _h.SubmitAsync(3);
        await _h.PostedAsync(id);
        await _h.ClickAsync("review.approve", id, TeamsUser.Reviewer);
        await WithItemAsync(id);
        var item = Assert.Single(_devOps.WorkItems);

        _devOps.SetState(item.Id, "Done");
        Assert.Equal(HttpStatusCode.OK, (await HookAsync(_devOps.WorkItemUpdated(item.Id, "New", "Done"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await HookAsync(_devOps.WorkItemUpdated(item.Id, "New", "Done"))).StatusCode);

        Assert.Equal(RequestStatus.Approved, (await _h.RequestAsync(id)).Status);
        var history = await _h.HistoryAsync(id);
        var done = Assert.Single(history, e => e.Action == RequestActions.BacklogItemDone);
        Assert.Equal(RequestActors.FusionBot.Id, done.Actor.Id);
        Assert.Contains($"#{item.Id} is Done", done.Comment, StringComparison.Ordinal);
        Assert.DoesNotContain(history, e => e.Action == RequestActions.Delivered);
    }

    [Fact]
    public async Task The_service_hook_refuses_a_missing_or_wrong_password_and_changes_nothing()
    {
        var id = await TakenOverTier4Async();
        await WithItemAsync(id);
        var item = Assert.Single(_devOps.WorkItems);
        var done = _devOps.WorkItemUpdated(item.Id, "Active", "Closed");

        Assert.Equal(HttpStatusCode.Unauthorized, (await HookAsync(done, password: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await HookAsync(done, password: "service-hook-password-for-test")).StatusCode);

        Assert.Equal(RequestStatus.InDevelopment, (await _h.RequestAsync(id)).Status);
    }
}

public sealed class SharedBacklogOnSqliteTests : SharedBacklogTests
{
    protected override AzuriteTableServer? TableStorage => null;
}

public sealed class SharedBacklogOnTableStorageTests(AzuriteFixture azurite) : SharedBacklogTests, IClassFixture<AzuriteFixture>
{
    protected override AzuriteTableServer? TableStorage => azurite.Server;
}
