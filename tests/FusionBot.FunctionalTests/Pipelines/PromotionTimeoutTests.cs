using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FusionBot.Features.Pipelines;
using FusionBot.FunctionalTests.Review;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.TestKit;
using FusionBot.TestKit.Azurite;
using FusionBot.TestKit.Cards;
using FusionBot.TestKit.PowerPlatform;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FusionBot.FunctionalTests.Pipelines;

/// <summary>
/// A "Promote to production?" nobody answers: after <c>Pipelines:PromotionTimeout</c> FusionBot rejects the deployment
/// itself, once, however busy the host is and whoever clicks late. The clock is a fake one the test moves, so every
/// step waits for what the bot did, never for time to pass.
/// </summary>
public abstract class PromotionTimeoutTests : IAsyncLifetime
{
    private const string PipelinesApp = "7a1d0c55-0000-4000-8000-0000000a11ed";
    private const string Solution = "ContosoExpenses";
    private const string ProductionEnvironment = "0b0b0b0b-2222-4000-8000-0000000prod0";
    private static readonly TimeSpan Timeout = TimeSpan.FromHours(8);

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private ReviewHarness _h = null!;
    private FakePipelinesHost _host = null!;

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
            ["Pipelines:PromotionTimeout"] = Timeout.ToString(),
        };
        _h = await ReviewHarness.StartAsync(settings, TableStorage, services => services.AddSingleton<TimeProvider>(_clock));
    }

    public async Task DisposeAsync()
    {
        await _h.DisposeAsync();
        await _host.DisposeAsync();
    }

    /// <summary>An approved Tier 2 request whose production deployment asked the review thread; returns it, the stage run and the card's activity id.</summary>
    private async Task<(string Id, string Run, string CardId)> WaitingForAReviewerAsync()
    {
        await _h.RegisterAsync(2, ReviewHarness.Tier2Channel);
        var id = await _h.SubmitAsync(2);
        await _h.PostedAsync(id);
        await _h.ClickAsync("review.approve", id, TeamsUser.Reviewer);
        await _h.Bot.SayAsync($"link {id} solution {Solution}");
        var run = _host.AddStageRun(Solution, "Production", ProductionEnvironment, "Contoso Production");

        using var client = _h.Bot.CreateClient();
        using var call = new HttpRequestMessage(HttpMethod.Post, "/api/pipelines/predeployment") { Content = JsonContent.Create(_host.PreDeploymentStarted(run)) };
        call.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _h.Bot.Identity.CreateEntraToken(Tenant, PipelinesApp));
        Assert.Equal(HttpStatusCode.Accepted, (await client.SendAsync(call)).StatusCode);

        var card = await _h.ThreadReplyAsync((await _h.RequestAsync(id)).ReviewCard!, "Promote to production?");
        var gates = _h.Bot.Services.GetRequiredService<DeploymentGates>();
        for (var i = 0; i < 300; i++)
        {
            if (await gates.GetAsync(Tenant, run, GateStep.PreDeployment, CancellationToken.None) is { CardActivityId: { } cardId })
            {
                return (id, run, cardId);
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The promotion card ({card.Path}) was posted but its id never stored.");
    }

    /// <summary>Polls the outbox until the item is as <paramref name="done"/> wants it.</summary>
    private async Task<DueWorkStatus> OutboxItemAsync(string itemId, Func<DueWorkStatus, bool> done)
    {
        var store = _h.Bot.Services.GetRequiredService<IDueWorkStore>();
        for (var i = 0; i < 300; i++)
        {
            if (await store.GetStatusAsync(itemId) is { } status && done(status))
            {
                return status;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Outbox item {itemId} never got there: {await store.GetStatusAsync(itemId)}");
    }

    private static JsonObject Data(string run) => new() { ["stageRunId"] = run };

    [Fact]
    public async Task An_unanswered_promotion_is_rejected_once_at_the_timeout_even_when_the_host_is_busy_and_a_late_click_changes_nothing()
    {
        var (id, run, cardId) = await WaitingForAReviewerAsync();
        _host.FailNextAnswers(1);

        _clock.Advance(Timeout);

        var updated = await _h.Connector.WaitForAsync(c => c.Route == ConnectorRoute.UpdateActivity && c.ActivityId == cardId
            && c.Body.Contains("Timed out", StringComparison.Ordinal));
        Assert.DoesNotContain("pipeline.promote", updated.Body, StringComparison.Ordinal);
        await _h.MakerToldAsync("in time, so the deployment was rejected. Rerun the deployment");
        // The host refused the first answer (busy): it waits for its retry, which is due when the clock next moves.
        var answerId = $"pipeline-answer:{Tenant}:{run}";
        await OutboxItemAsync(answerId, s => s.Item?.Attempts >= 1);

        var late = await _h.ClickAsync("pipeline.promote", id, ReviewHarness.SecondReviewer, Data(run));
        Assert.Contains("Too late: no reviewer promoted", late.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("Timed out", late.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty(_host.Answers);

        _clock.Advance(TimeSpan.FromMinutes(1));
        var answer = await _host.WaitForAnswerAsync(run);
        Assert.Equal(30, answer.Status);
        Assert.Contains($"no reviewer promoted {id} to production in time. Rerun the deployment when a reviewer has time", answer.Comments, StringComparison.Ordinal);

        var second = await _h.ClickAsync("pipeline.decline", id, TeamsUser.Reviewer, Data(run));
        Assert.Contains("Too late", second.ToJsonString(), StringComparison.Ordinal);
        await OutboxItemAsync(answerId, s => s.State == DueWorkState.Completed);
        Assert.Single(_host.Answers);
        var history = await _h.HistoryAsync(id);
        Assert.Single(history, e => e.Action == RequestActions.PromotionTimedOut && e.Actor.Id == RequestActors.FusionBot.Id);
        Assert.DoesNotContain(history, e => e.Action is RequestActions.DeploymentProceeded or RequestActions.DeploymentRejected);
        Assert.Single(_h.Connector.Calls, c => c.Route == ConnectorRoute.UpdateActivity && c.ActivityId == cardId);
        await AdaptiveCardValidator.AssertValidAsync([.. _h.AllCards]);
    }

    [Fact]
    public async Task A_promotion_decided_before_the_timeout_is_left_alone_when_the_timeout_comes()
    {
        var (id, run, cardId) = await WaitingForAReviewerAsync();
        await _h.ClickAsync("pipeline.promote", id, TeamsUser.Reviewer, Data(run));
        Assert.Equal(20, (await _host.WaitForAnswerAsync(run)).Status);

        _clock.Advance(Timeout);

        await OutboxItemAsync($"pipeline-promotion-timeout:{Tenant}:{run}", s => s.State == DueWorkState.Completed);
        Assert.Single(_host.Answers);
        Assert.DoesNotContain(await _h.HistoryAsync(id), e => e.Action == RequestActions.PromotionTimedOut);
        Assert.DoesNotContain(_h.Connector.Calls, c => c.Route == ConnectorRoute.UpdateActivity && c.ActivityId == cardId);
    }
}

public sealed class PromotionTimeoutOnSqliteTests : PromotionTimeoutTests
{
    protected override AzuriteTableServer? TableStorage => null;
}

public sealed class PromotionTimeoutOnTableStorageTests(AzuriteFixture azurite) : PromotionTimeoutTests, IClassFixture<AzuriteFixture>
{
    protected override AzuriteTableServer? TableStorage => azurite.Server;
}
