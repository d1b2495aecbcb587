using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FusionBot.FunctionalTests.Review;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.TestKit;
using FusionBot.TestKit.Azurite;
using FusionBot.TestKit.Cards;
using FusionBot.TestKit.PowerPlatform;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FusionBot.FunctionalTests.Pipelines;

/// <summary>
/// The pre-deployment gate against a fake pipelines host: the host's flow posts <c>OnPreDeploymentStarted</c> with an
/// Entra token, FusionBot reads the stage run from the host's Dataverse, matches the solution and environment to a
/// request through its links and answers <c>UpdatePreDeploymentStepStatus</c> (20 proceed, 30 reject) once per stage run.
/// </summary>
public abstract class PipelineGateTests : IAsyncLifetime
{
    private const string PipelinesApp = "7a1d0c55-0000-4000-8000-0000000a11ed";
    private const string Solution = "ContosoExpenses";
    private const string TestEnvironment = "0a0a0a0a-1111-4000-8000-00000000te57";
    private const string ProductionEnvironment = "0b0b0b0b-2222-4000-8000-0000000prod0";
    private const string WebhookSecret = "whsec-3f9c1a7e5b2d4c6a8e0f1b3d5c7a9e2f";

    private ReviewHarness _h = null!;
    private FakePipelinesHost _host = null!;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _logs = new();

    protected abstract AzuriteTableServer? TableStorage { get; }

    private string Tenant => _h.Bot.Activities.TenantId;

    public async Task InitializeAsync()
    {
        _host = await FakePipelinesHost.StartAsync();
        var settings = new Dictionary<string, string?>(_host.Configuration)
        {
            ["Pipelines:TenantId"] = TeamsActivityBuilder.DefaultTenantId,
            ["Pipelines:AllowedCallers:0"] = PipelinesApp,
            ["Pipelines:ProductionEnvironmentIds:0"] = ProductionEnvironment,
            ["Pipelines:WebhookSecret"] = WebhookSecret,
            ["Outbox:SweepInterval"] = "00:00:01",
            ["Logging:LogLevel:Default"] = "Debug",
        };
        _h = await ReviewHarness.StartAsync(settings, TableStorage, services => services.AddSingleton<ILoggerProvider>(new CapturedLogs(_logs)));
    }

    public async Task DisposeAsync()
    {
        await _h.DisposeAsync();
        await _host.DisposeAsync();
    }

    private async Task<string> ApprovedTier2Async()
    {
        await _h.RegisterAsync(2, ReviewHarness.Tier2Channel);
        var id = await _h.SubmitAsync(2);
        await _h.PostedAsync(id);
        await _h.ClickAsync("review.approve", id, TeamsUser.Reviewer);
        return id;
    }

    /// <param name="environment">Empty: linked for any environment.</param>
    private async Task LinkAsync(string id, string environment) =>
        await _h.Bot.SayAsync($"link {id} solution {Solution}" + (environment.Length > 0 ? $" in {environment}" : ""));

    private async Task<HttpResponseMessage> DeploymentStartsAsync(string stageRunId, string? token = null, JsonObject? body = null,
        string path = "/api/pipelines/predeployment")
    {
        using var client = _h.Bot.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = JsonContent.Create(body ?? _host.PreDeploymentStarted(stageRunId)),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? _h.Bot.Identity.CreateEntraToken(Tenant, PipelinesApp));
        return await client.SendAsync(request);
    }

    /// <summary>A call signed as the docs say: HMAC-SHA256 of "{timestamp}.{raw body}", hex, in X-FusionBot-Signature.</summary>
    private async Task<HttpResponseMessage> SignedAsync(byte[] body, string? timestamp, string? signature, string? bearer = null)
    {
        using var client = _h.Bot.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/pipelines/predeployment") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (timestamp is not null)
        {
            request.Headers.Add("X-FusionBot-Timestamp", timestamp);
        }

        if (signature is not null)
        {
            request.Headers.Add("X-FusionBot-Signature", signature);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await client.SendAsync(request);
    }

    private static string Now(TimeSpan? offset = null) => (DateTimeOffset.UtcNow + (offset ?? TimeSpan.Zero)).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Signature(string secret, string timestamp, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), (byte[])[.. Encoding.UTF8.GetBytes(timestamp + "."), .. body]));

    private async Task<PreDeploymentAnswer> GatedAsync(string stageRunId)
    {
        Assert.Equal(HttpStatusCode.Accepted, (await DeploymentStartsAsync(stageRunId)).StatusCode);
        return await _host.WaitForAnswerAsync(stageRunId);
    }

    [Fact]
    public async Task An_approved_tier_2_solution_proceeds_to_a_test_environment_and_the_decision_is_on_its_history()
    {
        var id = await ApprovedTier2Async();
        await LinkAsync(id, TestEnvironment);
        var run = _host.AddStageRun(Solution, "Test", TestEnvironment, "Contoso Test");

        var answer = await GatedAsync(run);

        Assert.Equal(20, answer.Status);
        Assert.Equal(FakePipelinesHost.PreDeploymentAction, answer.Action);
        Assert.Contains(id, answer.Comments, StringComparison.Ordinal);
        var decided = Assert.Single(await _h.HistoryAsync(id), e => e.Action == RequestActions.DeploymentProceeded);
        Assert.Contains("Contoso Test", decided.Comment, StringComparison.Ordinal);
        Assert.Empty(_host.UnauthorisedCalls);
    }

    [Fact]
    public async Task A_delegated_deployments_approval_step_is_answered_with_UpdateApprovalStatus()
    {
        await _h.RegisterAsync(2, ReviewHarness.Tier2Channel);
        var id = await _h.SubmitAsync(2);
        await LinkAsync(id, TestEnvironment);
        var run = _host.AddStageRun(Solution, "Test", TestEnvironment, "Contoso Test");

        Assert.Equal(HttpStatusCode.Accepted, (await DeploymentStartsAsync(run, path: "/api/pipelines/approval")).StatusCode);
        var answer = await _host.WaitForAnswerAsync(run);

        Assert.Equal(FakePipelinesHost.ApprovalAction, answer.Action);
        Assert.Equal(30, answer.Status);
        Assert.Contains($"{id} is not reviewed yet", answer.Comments, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_solution_not_reviewed_yet_is_rejected_with_the_reason_and_the_request_id_and_the_maker_is_told()
    {
        await _h.RegisterAsync(2, ReviewHarness.Tier2Channel);
        var id = await _h.SubmitAsync(2);
        await LinkAsync(id, TestEnvironment);
        var run = _host.AddStageRun(Solution, "Test", TestEnvironment, "Contoso Test");

        var answer = await GatedAsync(run);

        Assert.Equal(30, answer.Status);
        Assert.Contains($"{id} is not reviewed yet", answer.Comments, StringComparison.Ordinal);
        await _h.MakerToldAsync($"{Solution}** to **Contoso Test** was rejected");
        Assert.Single(await _h.HistoryAsync(id), e => e.Action == RequestActions.DeploymentRejected);
    }

    [Fact]
    public async Task A_solution_with_changes_requested_is_rejected_with_the_reviewers_comment()
    {
        await _h.RegisterAsync(2, ReviewHarness.Tier2Channel);
        var id = await _h.SubmitAsync(2);
        await _h.PostedAsync(id);
        await _h.ClickAsync("review.changes", id, TeamsUser.Reviewer, new JsonObject { ["comment"] = "Use the approved SharePoint site" });
        await LinkAsync(id, "");
        var run = _host.AddStageRun(Solution, "Test", TestEnvironment, "Contoso Test");

        var answer = await GatedAsync(run);

        Assert.Equal(30, answer.Status);
        Assert.Contains("changes requested: Use the approved SharePoint site", answer.Comments, StringComparison.Ordinal);
        await _h.MakerToldAsync($"resubmit {id}");
    }

    [Fact]
    public async Task An_unknown_solution_and_a_solution_linked_for_another_environment_are_rejected()
    {
        var id = await ApprovedTier2Async();
        await LinkAsync(id, TestEnvironment);
        var unknown = _host.AddStageRun("SomethingElse", "Test", TestEnvironment, "Contoso Test");
        var elsewhere = _host.AddStageRun(Solution, "UAT", "0c0c0c0c-3333-4000-8000-000000000ua7", "Contoso UAT");

        var first = await GatedAsync(unknown);
        var second = await GatedAsync(elsewhere);

        Assert.Equal(30, first.Status);
        Assert.Contains("SomethingElse is not linked to a governance request", first.Comments, StringComparison.Ordinal);
        Assert.Equal(30, second.Status);
        Assert.Contains($"{Solution} is not linked to a governance request for Contoso UAT", second.Comments, StringComparison.Ordinal);
        Assert.DoesNotContain(await _h.HistoryAsync(id), e => e.Action is RequestActions.DeploymentProceeded or RequestActions.DeploymentRejected);
    }

    [Fact]
    public async Task A_tier_2_promotion_to_production_waits_for_a_reviewers_click_and_is_answered_once()
    {
        var id = await ApprovedTier2Async();
        await LinkAsync(id, "");
        var card = (await _h.RequestAsync(id)).ReviewCard!;
        var run = _host.AddStageRun(Solution, "Production", ProductionEnvironment, "Contoso Production");

        Assert.Equal(HttpStatusCode.Accepted, (await DeploymentStartsAsync(run)).StatusCode);
        await _h.ThreadReplyAsync(card, "Promote to production?");
        Assert.Empty(_host.Answers);

        var data = new JsonObject { ["stageRunId"] = run };
        var own = await _h.ClickAsync("pipeline.promote", id, TeamsUser.Maker, data);
        Assert.Equal(AdaptiveCardInvokeResponse.ErrorType, own["type"]!.GetValue<string>());
        var outsider = await _h.ClickAsync("pipeline.promote", id, ReviewHarness.Outsider, data);
        Assert.Equal(AdaptiveCardInvokeResponse.ErrorType, outsider["type"]!.GetValue<string>());
        Assert.Empty(_host.Answers);

        var promoted = await _h.ClickAsync("pipeline.promote", id, TeamsUser.Reviewer, data);
        var late = await _h.ClickAsync("pipeline.decline", id, ReviewHarness.SecondReviewer, data);

        Assert.Contains("Promoted by", promoted.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("Already decided", late.ToJsonString(), StringComparison.Ordinal);
        var answer = await _host.WaitForAnswerAsync(run);
        Assert.Equal(20, answer.Status);
        Assert.Contains(TeamsUser.Reviewer.Name, answer.Comments, StringComparison.Ordinal);
        var history = await _h.HistoryAsync(id);
        Assert.Single(history, e => e.Action == RequestActions.PromotionRequested);
        Assert.Single(history, e => e.Action == RequestActions.DeploymentProceeded && e.Actor.Id == TeamsUser.Reviewer.Id);
        await AdaptiveCardValidator.AssertValidAsync([.. _h.AllCards]);

        await Task.Delay(TimeSpan.FromSeconds(2)); // two sweeps: nothing else is sent for this stage run
        Assert.Single(_host.Answers);
    }

    [Fact]
    public async Task A_declined_promotion_rejects_the_deployment_and_tells_the_maker()
    {
        var id = await ApprovedTier2Async();
        await LinkAsync(id, ProductionEnvironment);
        var run = _host.AddStageRun(Solution, "Production", ProductionEnvironment, "Contoso Production");
        Assert.Equal(HttpStatusCode.Accepted, (await DeploymentStartsAsync(run)).StatusCode);
        await _h.ThreadReplyAsync((await _h.RequestAsync(id)).ReviewCard!, "Promote to production?");

        await _h.ClickAsync("pipeline.decline", id, ReviewHarness.SecondReviewer, new JsonObject { ["stageRunId"] = run });

        var answer = await _host.WaitForAnswerAsync(run);
        Assert.Equal(30, answer.Status);
        await _h.MakerToldAsync("did not promote");
    }

    [Fact]
    public async Task The_promotion_cards_submit_fallback_promotes_like_the_invoke()
    {
        var id = await ApprovedTier2Async();
        await LinkAsync(id, "");
        var run = _host.AddStageRun(Solution, "Production", ProductionEnvironment, "Contoso Production");
        Assert.Equal(HttpStatusCode.Accepted, (await DeploymentStartsAsync(run)).StatusCode);
        await _h.ThreadReplyAsync((await _h.RequestAsync(id)).ReviewCard!, "Promote to production?");

        var click = _h.Bot.Activities.ChannelMessageMentioningBot("", TeamsUser.Reviewer, channelId: ReviewHarness.Tier2Channel);
        click.Text = null;
        click.Entities = null;
        click.Value = new JsonObject { ["verb"] = "pipeline.promote", ["requestId"] = id, ["stageRunId"] = run, ["step"] = "PreDeployment" };
        var replies = await _h.Bot.TurnAsync(click);

        Assert.Contains(replies, r => r.Text?.Contains($"{id} was promoted to Contoso Production", StringComparison.Ordinal) == true);
        Assert.Equal(20, (await _host.WaitForAnswerAsync(run)).Status);
    }

    [Fact]
    public async Task A_repeated_event_and_a_busy_host_still_give_one_answer_per_stage_run()
    {
        var id = await ApprovedTier2Async();
        await LinkAsync(id, TestEnvironment);
        var run = _host.AddStageRun(Solution, "Test", TestEnvironment, "Contoso Test");
        _host.FailNextAnswers(1);

        Assert.Equal(HttpStatusCode.Accepted, (await DeploymentStartsAsync(run)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await DeploymentStartsAsync(run)).StatusCode);

        var answer = await _host.WaitForAnswerAsync(run, TimeSpan.FromSeconds(30));
        Assert.Equal(20, answer.Status);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(_host.Answers);
        Assert.Single(await _h.HistoryAsync(id), e => e.Action == RequestActions.DeploymentProceeded);
    }

    [Fact]
    public async Task The_gate_refuses_calls_without_a_valid_token_from_an_allowed_caller()
    {
        var run = _host.AddStageRun(Solution, "Test", TestEnvironment, "Contoso Test");
        var identity = _h.Bot.Identity;

        using (var client = _h.Bot.CreateClient())
        {
            var anonymous = await client.PostAsJsonAsync("/api/pipelines/predeployment", _host.PreDeploymentStarted(run));
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            var anonymousApproval = await client.PostAsJsonAsync("/api/pipelines/approval", _host.PreDeploymentStarted(run));
            Assert.Equal(HttpStatusCode.Unauthorized, anonymousApproval.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await DeploymentStartsAsync(run, identity.CreateEntraToken(Tenant, "another-app-of-the-tenant"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await DeploymentStartsAsync(run, identity.CreateEntraToken(Tenant, "another-app-of-the-tenant"), path: "/api/pipelines/approval")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await DeploymentStartsAsync(run, identity.CreateEntraToken("11111111-0000-4000-8000-000000000bad", PipelinesApp))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await DeploymentStartsAsync(run, identity.CreateEntraToken(Tenant, PipelinesApp, audience: "api://someone-else"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await DeploymentStartsAsync(run, identity.CreateInboundToken(_h.Connector.ServiceUrl))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await DeploymentStartsAsync(run, "not-a-jwt")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await DeploymentStartsAsync(run, body: new JsonObject { ["InputParameters"] = new JsonObject() })).StatusCode);

        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Empty(_host.Answers);
    }

    [Fact]
    public async Task A_call_signed_with_the_webhook_secret_is_gated_like_one_with_a_token()
    {
        var id = await ApprovedTier2Async();
        await LinkAsync(id, TestEnvironment);
        var run = _host.AddStageRun(Solution, "Test", TestEnvironment, "Contoso Test");
        var body = Encoding.UTF8.GetBytes(_host.PreDeploymentStarted(run).ToJsonString());
        var timestamp = Now();

        Assert.Equal(HttpStatusCode.Accepted, (await SignedAsync(body, timestamp, Signature(WebhookSecret, timestamp, body))).StatusCode);

        var answer = await _host.WaitForAnswerAsync(run);
        Assert.Equal(20, answer.Status);
        Assert.Contains(id, answer.Comments, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signed_calls_with_a_wrong_secret_a_tampered_body_a_stale_timestamp_a_missing_header_or_a_replay_are_refused()
    {
        var run = _host.AddStageRun(Solution, "Test", TestEnvironment, "Contoso Test");
        var other = _host.AddStageRun(Solution, "Test", TestEnvironment, "Contoso Test");
        var body = Encoding.UTF8.GetBytes(_host.PreDeploymentStarted(run).ToJsonString());
        var tampered = Encoding.UTF8.GetBytes(_host.PreDeploymentStarted(other).ToJsonString());
        var now = Now();
        var stale = Now(TimeSpan.FromMinutes(-6));
        var early = Now(TimeSpan.FromMinutes(6));

        async Task RefusedAsync(byte[] sent, string? timestamp, string? signature, string? bearer = null) =>
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignedAsync(sent, timestamp, signature, bearer)).StatusCode);

        await RefusedAsync(body, now, Signature(WebhookSecret + "x", now, body));
        await RefusedAsync(body, now, Signature("an-entirely-different-secret-of-32+chars", now, body));
        await RefusedAsync(tampered, now, Signature(WebhookSecret, now, body));
        await RefusedAsync(body, Now(TimeSpan.FromSeconds(1)), Signature(WebhookSecret, now, body));
        await RefusedAsync(body, stale, Signature(WebhookSecret, stale, body));
        await RefusedAsync(body, early, Signature(WebhookSecret, early, body));
        await RefusedAsync(body, null, Signature(WebhookSecret, now, body));
        await RefusedAsync(body, now, null);
        await RefusedAsync(body, now, Signature(WebhookSecret, now, body)[7..]);
        await RefusedAsync(body, now, "sha256=not-hex");
        // A token that fails is not rescued by a good signature beside it.
        await RefusedAsync(body, now, Signature(WebhookSecret, now, body), "not-a-jwt");

        Assert.Equal(HttpStatusCode.Accepted, (await SignedAsync(body, now, Signature(WebhookSecret, now, body))).StatusCode);
        await RefusedAsync(body, now, Signature(WebhookSecret, now, body));

        await _host.WaitForAnswerAsync(run);
        Assert.Single(_host.Answers);
        Assert.Contains(_logs, m => m.Contains("Signed pipelines gate call refused", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs, m => m.Contains(WebhookSecret, StringComparison.Ordinal));
    }

    /// <summary>Every log line the app writes, formatted, with its exception.</summary>
    private sealed class CapturedLogs(System.Collections.Concurrent.ConcurrentQueue<string> messages) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(messages);

        public void Dispose()
        {
        }

        private sealed class Logger(System.Collections.Concurrent.ConcurrentQueue<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
                messages.Enqueue($"{formatter(state, exception)} {exception} {string.Join(' ', values.Select(p => $"{p.Key}={p.Value}"))}");
            }
        }
    }
}

public sealed class PipelineGateOnSqliteTests : PipelineGateTests
{
    protected override AzuriteTableServer? TableStorage => null;
}

public sealed class PipelineGateOnTableStorageTests(AzuriteFixture azurite) : PipelineGateTests, IClassFixture<AzuriteFixture>
{
    protected override AzuriteTableServer? TableStorage => azurite.Server;
}
