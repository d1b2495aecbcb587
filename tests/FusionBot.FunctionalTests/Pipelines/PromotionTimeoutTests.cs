using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FusionBot.Features.Outbox;
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

/// <summary>The bot, a fake pipelines host and a fake clock; a Tier 2 production deployment waiting for a reviewer.</summary>
internal sealed class PromotionTimeoutHarness : IAsyncDisposable
{
    public const string PipelinesApp = "7a1d0c55-0000-4000-8000-0000000a11ed";
    public const string Solution = "ContosoExpenses";
    public const string ProductionEnvironment = "0b0b0b0b-2222-4000-8000-0000000prod0";
    public static readonly TimeSpan Timeout = TimeSpan.FromHours(8);

    private PromotionTimeoutHarness(ReviewHarness h, FakePipelinesHost host, FakeTimeProvider clock)
    {
        H = h;
        Host = host;
        Clock = clock;
    }

    public ReviewHarness H { get; }
    public FakePipelinesHost Host { get; }
    public FakeTimeProvider Clock { get; }
    public string Tenant => H.Bot.Activities.TenantId;

    public static async Task<PromotionTimeoutHarness> StartAsync(AzuriteTableServer? tableStorage, string answer = "Reject")
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var host = await FakePipelinesHost.StartAsync();
        var settings = new Dictionary<string, string?>(host.Configuration)
        {
            ["Pipelines:TenantId"] = TeamsActivityBuilder.DefaultTenantId,
            ["Pipelines:AllowedCallers:0"] = PipelinesApp,
            ["Pipelines:ProductionEnvironmentIds:0"] = ProductionEnvironment,
            ["Pipelines:PromotionTimeout"] = Timeout.ToString(),
            ["Pipelines:PromotionTimeoutAnswer"] = answer,
        };
        return new PromotionTimeoutHarness(await ReviewHarness.StartAsync(settings, tableStorage, services => services.AddSingleton<TimeProvider>(clock)),
            host, clock);
    }

    public async ValueTask DisposeAsync()
    {
        await H.DisposeAsync();
        await Host.DisposeAsync();
    }

    /// <summary>An approved Tier 2 request whose production deployment asked the review thread; returns it, the stage run and the card's activity id.</summary>
    public async Task<(string Id, string Run, string CardId)> WaitingForAReviewerAsync()
    {
        await H.RegisterAsync(2, ReviewHarness.Tier2Channel);
        var id = await H.SubmitAsync(2);
        await H.PostedAsync(id);
        await H.ClickAsync("review.approve", id, TeamsUser.Reviewer);
        await H.Bot.SayAsync($"link {id} solution {Solution}");
        var run = Host.AddStageRun(Solution, "Production", ProductionEnvironment, "Contoso Production");

        using var client = H.Bot.CreateClient();
        using var call = new HttpRequestMessage(HttpMethod.Post, "/api/pipelines/predeployment") { Content = JsonContent.Create(Host.PreDeploymentStarted(run)) };
        call.Headers.Authorization = new AuthenticationHeaderValue("Bearer", H.Bot.Identity.CreateEntraToken(Tenant, PipelinesApp));
        Assert.Equal(HttpStatusCode.Accepted, (await client.SendAsync(call)).StatusCode);

        var card = await H.ThreadReplyAsync((await H.RequestAsync(id)).ReviewCard!, "Promote to production?");
        var gates = H.Bot.Services.GetRequiredService<DeploymentGates>();
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
    public async Task<DueWorkStatus> OutboxItemAsync(string itemId, Func<DueWorkStatus, bool> done)
    {
        var store = H.Bot.Services.GetRequiredService<IDueWorkStore>();
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

    /// <summary>
    /// Moves the clock, then wakes the outbox: a sweep already under way when the clock moved read the old time, and
    /// would otherwise wait for the next sweep interval on a clock nobody moves again.
    /// </summary>
    public void Advance(TimeSpan by)
    {
        Clock.Advance(by);
        H.Bot.Services.GetRequiredService<OutboxSignal>().Wake();
    }

    public static JsonObject Data(string run) => new() { ["stageRunId"] = run };
}

/// <summary>
/// A "Promote to production?" nobody answers: after <c>Pipelines:PromotionTimeout</c> FusionBot rejects the deployment
/// itself, once, however busy the host is and whoever clicks late. The clock is a fake one the test moves, so every
/// step waits for what the bot did, never for time to pass.
/// </summary>
/// <summary>
/// A "Promote to production?" nobody answers: after <c>Pipelines:PromotionTimeout</c> FusionBot rejects the deployment
/// itself, once, however busy the host is and whoever clicks late. The clock is a fake one the test moves, so every
/// step waits for what the bot did, never for time to pass.
/// </summary>
public abstract class PromotionTimeoutTests : IAsyncLifetime
{
    private PromotionTimeoutHarness _t = null!;

    protected abstract AzuriteTableServer? TableStorage { get; }

    private string Tenant => _t.Tenant;

    public async Task InitializeAsync() => _t = await PromotionTimeoutHarness.StartAsync(TableStorage);

    public async Task DisposeAsync() => await _t.DisposeAsync();

    [Fact]
    public async Task An_unanswered_promotion_is_rejected_once_at_the_timeout_even_when_the_host_is_busy_and_a_late_click_changes_nothing()
    {
        var (id, run, cardId) = await _t.WaitingForAReviewerAsync();
        _t.Host.FailNextAnswers(1);

        _t.Advance(PromotionTimeoutHarness.Timeout);

        var updated = await _t.H.Connector.WaitForAsync(c => c.Route == ConnectorRoute.UpdateActivity && c.ActivityId == cardId
            && c.Body.Contains("Timed out", StringComparison.Ordinal));
        Assert.DoesNotContain("pipeline.promote", updated.Body, StringComparison.Ordinal);
        await _t.H.MakerToldAsync("in time, so the deployment was rejected. Rerun the deployment");
        // The host refused the first answer (busy): it waits for its retry, which is due when the clock next moves.
        var answerId = $"pipeline-answer:{Tenant}:{run}";
        await _t.OutboxItemAsync(answerId, s => s.Item?.Attempts >= 1);

        var late = await _t.H.ClickAsync("pipeline.promote", id, ReviewHarness.SecondReviewer, PromotionTimeoutHarness.Data(run));
        Assert.Contains("Too late: no reviewer promoted", late.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("Timed out", late.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty(_t.Host.Answers);

        _t.Advance(TimeSpan.FromMinutes(1));
        var answer = await _t.Host.WaitForAnswerAsync(run);
        Assert.Equal(30, answer.Status);
        Assert.Contains($"no reviewer promoted {id} to production in time. Rerun the deployment when a reviewer has time", answer.Comments, StringComparison.Ordinal);

        var second = await _t.H.ClickAsync("pipeline.decline", id, TeamsUser.Reviewer, PromotionTimeoutHarness.Data(run));
        Assert.Contains("Too late", second.ToJsonString(), StringComparison.Ordinal);
        await _t.OutboxItemAsync(answerId, s => s.State == DueWorkState.Completed);
        Assert.Single(_t.Host.Answers);
        var history = await _t.H.HistoryAsync(id);
        Assert.Single(history, e => e.Action == RequestActions.PromotionTimedOut && e.Actor.Id == RequestActors.FusionBot.Id);
        Assert.DoesNotContain(history, e => e.Action is RequestActions.DeploymentProceeded or RequestActions.DeploymentRejected);
        Assert.Single(_t.H.Connector.Calls, c => c.Route == ConnectorRoute.UpdateActivity && c.ActivityId == cardId);
        await AdaptiveCardValidator.AssertValidAsync([.. _t.H.AllCards]);
    }

    [Fact]
    public async Task A_promotion_decided_before_the_timeout_is_left_alone_when_the_timeout_comes()
    {
        var (id, run, cardId) = await _t.WaitingForAReviewerAsync();
        await _t.H.ClickAsync("pipeline.promote", id, TeamsUser.Reviewer, PromotionTimeoutHarness.Data(run));
        Assert.Equal(20, (await _t.Host.WaitForAnswerAsync(run)).Status);

        _t.Advance(PromotionTimeoutHarness.Timeout);

        await _t.OutboxItemAsync($"pipeline-promotion-timeout:{Tenant}:{run}", s => s.State == DueWorkState.Completed);
        Assert.Single(_t.Host.Answers);
        Assert.DoesNotContain(await _t.H.HistoryAsync(id), e => e.Action == RequestActions.PromotionTimedOut);
        Assert.DoesNotContain(_t.H.Connector.Calls, c => c.Route == ConnectorRoute.UpdateActivity && c.ActivityId == cardId);
    }
}

/// <summary>With <c>Pipelines:PromotionTimeoutAnswer=Proceed</c> a promotion nobody answered is let through, and said so.</summary>
public sealed class PromotionTimeoutProceedTests : IAsyncLifetime
{
    private PromotionTimeoutHarness _t = null!;

    public async Task InitializeAsync() => _t = await PromotionTimeoutHarness.StartAsync(null, "Proceed");

    public async Task DisposeAsync() => await _t.DisposeAsync();

    [Fact]
    public async Task An_unanswered_promotion_proceeds_at_the_timeout_when_configured_so()
    {
        var (id, run, cardId) = await _t.WaitingForAReviewerAsync();

        _t.Advance(PromotionTimeoutHarness.Timeout);

        var answer = await _t.Host.WaitForAnswerAsync(run);
        Assert.Equal(20, answer.Status);
        Assert.Contains($"{id}: no reviewer promoted it to production in time; let through as configured", answer.Comments, StringComparison.Ordinal);
        await _t.H.Connector.WaitForAsync(c => c.Route == ConnectorRoute.UpdateActivity && c.ActivityId == cardId
            && c.Body.Contains("the deployment went ahead", StringComparison.Ordinal));
        Assert.Single(await _t.H.HistoryAsync(id), e => e.Action == RequestActions.PromotionTimedOut);
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
