using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FusionBot.Features.Pipelines;
using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.FunctionalTests.Review;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.TestKit;
using FusionBot.TestKit.Azurite;
using FusionBot.TestKit.PowerPlatform;
using Microsoft.Extensions.DependencyInjection;

namespace FusionBot.FunctionalTests.Privacy;

/// <summary>
/// A person whose only part in a request is an event recorded beside its transitions (an admin linking a solution, a
/// reviewer promoting it to production through the pipelines gate) is found by <c>privacy export</c> and <c>privacy
/// erase</c> over HTTP, on each store: the export holds their events and the deployment gate they decided, and after the
/// erasure no row names them, the gate's decider included.
/// </summary>
public abstract class RecordedActorPrivacyTests : IAsyncLifetime
{
    private const string PipelinesApp = "7a1d0c55-0000-4000-8000-0000000a11ed";
    private const string Solution = "ContosoExpenses";
    private const string ProductionEnvironment = "0b0b0b0b-2222-4000-8000-0000000prod0";

    // An admin who is a reviewer too, and never approves, claims or decides a request itself.
    private static readonly TeamsUser Promoter = ReviewHarness.SecondReviewer;

    private readonly string _sqlitePath = Path.Combine(Path.GetTempPath(), $"fusionbot-privacy-actor-{Guid.NewGuid():N}.db");
    private readonly string _tablePrefix = AzuriteTableServer.NewTablePrefix();
    private ReviewHarness _h = null!;
    private FakePipelinesHost _host = null!;

    protected abstract AzuriteTableServer? TableStorage { get; }

    private string Tenant => _h.Bot.Activities.TenantId;

    public async Task InitializeAsync()
    {
        _host = await FakePipelinesHost.StartAsync();
        var settings = new Dictionary<string, string?>(_host.Configuration)
        {
            [TableStorage is null ? "Storage:EmbeddedPath" : "Storage:TablePrefix"] = TableStorage is null ? _sqlitePath : _tablePrefix,
            ["Governance:AdminIds:1"] = Promoter.AadObjectId,
            ["Links:SigningKey"] = Convert.ToBase64String(Enumerable.Range(1, 48).Select(i => (byte)i).ToArray()),
            ["Links:PublicBaseUrl"] = "https://fusionbot.example/",
            ["Pipelines:TenantId"] = TeamsActivityBuilder.DefaultTenantId,
            ["Pipelines:AllowedCallers:0"] = PipelinesApp,
            ["Pipelines:ProductionEnvironmentIds:0"] = ProductionEnvironment,
        };
        _h = await ReviewHarness.StartAsync(settings, TableStorage);
    }

    public async Task DisposeAsync()
    {
        await _h.DisposeAsync();
        await _host.DisposeAsync();
        foreach (var file in new[] { _sqlitePath, _sqlitePath + "-wal", _sqlitePath + "-shm" })
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_person_who_only_linked_and_promoted_a_request_is_exported_and_erased_with_the_gate_they_decided()
    {
        await _h.RegisterAsync(2, ReviewHarness.Tier2Channel);
        var id = await _h.SubmitAsync(2);
        await _h.PostedAsync(id);
        await _h.ClickAsync("review.approve", id, TeamsUser.Reviewer);
        Assert.Contains("Linked:", Text(await _h.Bot.SayAsync($"link {id} solution {Solution}", Promoter)), StringComparison.Ordinal);
        var run = _host.AddStageRun(Solution, "Production", ProductionEnvironment, "Contoso Production");
        Assert.Equal(HttpStatusCode.Accepted, (await DeploymentStartsAsync(run)).StatusCode);
        await _h.ThreadReplyAsync((await _h.RequestAsync(id)).ReviewCard!, "Promote to production?");
        await _h.ClickAsync("pipeline.promote", id, Promoter, new JsonObject { ["stageRunId"] = run });
        Assert.Equal(20, (await _host.WaitForAnswerAsync(run)).Status);
        await CrashPlan.DrainOutboxAsync(_h.Bot);
        var history = await _h.HistoryAsync(id);
        // Their only part: two events recorded beside the transitions, none of which they took.
        Assert.Equal([RequestActions.SolutionLinked, RequestActions.DeploymentProceeded], history.Where(e => e.Actor.Id == Promoter.Id).Select(e => e.Action));

        // Export: the request, with just their two events, and the gate they decided.
        await _h.Bot.SayAsync("hello", ReviewHarness.Admin);
        await _h.Bot.SayAsync($"privacy export {Promoter.AadObjectId}", ReviewHarness.Admin);
        var export = await DownloadExportAsync();
        var request = Assert.Single(export["requests"]!.AsArray())!;
        Assert.Equal((id, "participant"), (request["id"]!.GetValue<string>(), request["role"]!.GetValue<string>()));
        Assert.Equal([RequestActions.SolutionLinked, RequestActions.DeploymentProceeded],
            request["history"]!.AsArray().Select(e => e!["action"]!.GetValue<string>()));
        var gate = Assert.Single(export["records"]!.AsArray(), r => r!["kind"]!.GetValue<string>() == "deploymentGates")!;
        Assert.Contains(Promoter.AadObjectId, gate.ToJsonString(), StringComparison.Ordinal);

        // Erase: afterwards no row names them; the gate and the request's events stand for the pseudonym.
        var confirm = Assert.Single(await _h.Bot.SayAsync($"privacy erase {Promoter.AadObjectId}", ReviewHarness.Admin)).Attachments![0].Content!.AsObject();
        var erase = confirm["actions"]![0]!["data"]!.AsObject();
        await _h.Bot.SubmitAsync(erase.DeepClone().AsObject(), ReviewHarness.Admin);
        var pseudonym = new ErasedPerson(Tenant, Promoter.Id, Promoter.AadObjectId).Pseudonym;
        await PrivacyCommandTests.ErasedAsync(_h.Bot, pseudonym, erase);

        var everything = await StoredRows.AllAsync(TableStorage, _sqlitePath, _tablePrefix);
        string[] identifying = [Promoter.Id, Promoter.AadObjectId, Promoter.Name];
        var left = everything.Where(row => identifying.Any(value => row.Contains(value, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(left.Count == 0, "Still stored:\n" + string.Join("\n", left));
        var decided = await _h.Bot.Services.GetRequiredService<DeploymentGates>().GetAsync(Tenant, run, GateStep.PreDeployment, CancellationToken.None);
        Assert.Equal((true, pseudonym), (decided!.Promoted, decided.DecidedBy));
        Assert.Equal(history.Select(e => e.Action).Append(RequestActions.PersonalDataErased), (await _h.HistoryAsync(id)).Select(e => e.Action));
        Assert.Equal(TeamsUser.Reviewer.Id, (await _h.RequestAsync(id)).Reviewer!.Id);
    }

    private async Task<HttpResponseMessage> DeploymentStartsAsync(string stageRunId)
    {
        using var client = _h.Bot.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/pipelines/predeployment") { Content = JsonContent.Create(_host.PreDeploymentStarted(stageRunId)) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _h.Bot.Identity.CreateEntraToken(Tenant, PipelinesApp));
        return await client.SendAsync(request);
    }

    private async Task<JsonObject> DownloadExportAsync()
    {
        var adminChat = _h.Bot.Activities.PersonalConversation(ReviewHarness.Admin).Id;
        IEnumerable<RecordedCall> Links() => _h.Connector.Calls.Where(c => c.ConversationId == adminChat && c.Activity?.Summary == "Personal data export");
        await Digest.DigestTestData.WaitUntilAsync(async () =>
        {
            await CrashPlan.DrainOutboxAsync(_h.Bot);
            return Links().Any();
        }, TimeSpan.FromSeconds(60), () => "no export link was sent to the admin");
        var card = Links().Last().Activity!.Attachments![0].Content!.AsObject();
        var url = new Uri(card["actions"]![0]!["url"]!.GetValue<string>());
        using var client = _h.Bot.CreateClient();
        using var download = await client.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        return JsonNode.Parse(await download.Content.ReadAsStringAsync())!.AsObject();
    }

    private static string Text(IReadOnlyList<Activity> replies) => string.Join("\n", replies.Select(r => r.Text));
}

public sealed class RecordedActorPrivacyOnSqliteTests : RecordedActorPrivacyTests
{
    protected override AzuriteTableServer? TableStorage => null;
}

public sealed class RecordedActorPrivacyOnTableStorageTests(AzuriteFixture azurite) : RecordedActorPrivacyTests, IClassFixture<AzuriteFixture>
{
    protected override AzuriteTableServer? TableStorage => azurite.Server;
}
