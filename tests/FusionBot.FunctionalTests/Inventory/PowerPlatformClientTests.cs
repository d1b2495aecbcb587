using System.Net;
using FusionBot.PowerPlatform;
using FusionBot.Requests;
using FusionBot.TestKit.PowerPlatform;
using Microsoft.Extensions.Logging.Abstractions;

namespace FusionBot.FunctionalTests.Inventory;

/// <summary>The admin client against the fake's documented shapes: every page read, throttling waited out, failures typed.</summary>
public sealed class PowerPlatformClientTests : IAsyncLifetime, IDisposable
{
    private const string Env = "Default-72f988bf-0000-4000-8000-00000000c0de";
    private static readonly DateTimeOffset Old = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private FakePowerPlatformServer _fake = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync()
    {
        _fake = await FakePowerPlatformServer.StartAsync();
        _fake.PageSize = 2;
        _fake.AddEnvironment(Env, "Contoso (default)", "Default", isDefault: true);
        _fake.AddEnvironment("prod-1", "Production", "Production");
        _fake.AddEnvironment("dev-1", "A sandbox", "Developer", withDataverse: false);
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    public void Dispose() => _http.Dispose();

    private PowerPlatformClient Client(string token = FakePowerPlatformServer.AccessToken, TimeSpan? maxRetryAfter = null) => new(
        _http,
        new StaticTokenCredential(token),
        new PowerPlatformOptions
        {
            TenantId = "72f988bf-0000-4000-8000-00000000c0de",
            BapUrl = new Uri(_fake.BaseUrl),
            PowerAppsUrl = new Uri(_fake.BaseUrl),
            FlowUrl = new Uri(_fake.BaseUrl),
            MaxRetryAfter = maxRetryAfter ?? TimeSpan.FromSeconds(60),
        },
        TimeProvider.System,
        NullLogger<PowerPlatformClient>.Instance);

    [Fact]
    public async Task Every_page_is_read_following_nextLink_and_the_default_environment_comes_first()
    {
        for (var i = 0; i < 7; i++)
        {
            _fake.AddApp(Env, $"a0000000-0000-4000-8000-{i:D12}", $"App {i}", "owner-1", "Olu", Old, ["shared_sharepointonline", "custom:shared_contoso-5f"], sharedUsers: i);
        }

        var environments = await Client().GetEnvironmentsAsync();
        var apps = await Client().GetAppsAsync(Env);

        Assert.Equal([Env, "dev-1", "prod-1"], environments.Select(e => e.Name));
        Assert.Equal(new Uri($"{_fake.BaseUrl}/dataverse/{Env}"), environments[0].DataverseUrl);
        Assert.Null(environments[1].DataverseUrl);
        Assert.Equal(7, apps.Count);
        Assert.Equal(4, _fake.Calls.Count(c => c.PathAndQuery.Contains("/apps", StringComparison.Ordinal)));
        var app = apps.Single(a => a.DisplayName == "App 6");
        Assert.Equal((SolutionKind.App, "owner-1", 6, false), (app.Kind, app.OwnerObjectId, app.SharedUsers, app.SharedWithEveryone));
        Assert.Equal([("shared_sharepointonline", false), ("shared_contoso-5f", true)], app.Connectors.Select(c => (c.ApiName, c.IsCustom)));
    }

    [Fact]
    public async Task Throttled_calls_are_retried_after_Retry_After_until_they_succeed()
    {
        for (var i = 0; i < 3; i++)
        {
            _fake.AddFlow(Env, $"f0000000-0000-4000-8000-{i:D12}", $"Flow {i}", "owner-1", Old, ["shared_office365", "http"]);
        }

        _fake.Throttle("/v2/flows", times: 2);

        var flows = await Client().GetFlowsAsync(Env);

        Assert.Equal(3, flows.Count);
        Assert.Equal(["http", "shared_office365"], flows[0].Connectors.Select(c => c.ApiName).Order(StringComparer.Ordinal));
        // Two refused, then the two pages.
        Assert.Equal(4, _fake.Calls.Count(c => c.PathAndQuery.Contains("/v2/flows", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_Retry_After_longer_than_the_configured_limit_fails_the_call_with_its_status()
    {
        _fake.Throttle("/environments", times: 5);

        var failure = await Assert.ThrowsAsync<PowerPlatformException>(() => Client(maxRetryAfter: TimeSpan.FromMilliseconds(500)).GetEnvironmentsAsync());

        Assert.Equal((HttpStatusCode.TooManyRequests, "TooManyRequests"), (failure.Status, failure.ErrorCode));
        Assert.Single(_fake.Calls);
    }

    [Fact]
    public async Task A_token_the_service_refuses_fails_with_its_status_and_error_code()
    {
        var failure = await Assert.ThrowsAsync<PowerPlatformException>(() => Client(token: "wrong").GetDlpPoliciesAsync());

        Assert.Equal((HttpStatusCode.Unauthorized, "InvalidAuthenticationToken"), (failure.Status, failure.ErrorCode));
    }

    [Fact]
    public async Task Policies_carry_their_scope_groups_and_custom_connector_rule()
    {
        _fake.AddPolicy("p-1", "Production lockdown", "OnlyEnvironments", ["prod-1"], "Blocked",
            business: ["shared_sharepointonline"], nonBusiness: ["shared_twitter"], blocked: ["http"], customConnectors: "Blocked");
        _fake.AddPolicy("p-2", "Baseline", "AllEnvironments", [], "General", business: [], nonBusiness: [], blocked: []);

        var policies = await Client().GetDlpPoliciesAsync();

        var lockdown = policies.Single(p => p.Name == "p-1");
        Assert.True(lockdown.AppliesTo("PROD-1"));
        Assert.False(lockdown.AppliesTo(Env));
        Assert.Equal(("Blocked", "Blocked", "General", "Confidential"),
            (lockdown.DefaultClassification, lockdown.CustomConnectors, lockdown.Connectors["shared_twitter"].Classification, lockdown.Connectors["shared_sharepointonline"].Classification));
        Assert.Equal("Blocked", lockdown.Connectors["http"].Classification);
        Assert.Null(policies.Single(p => p.Name == "p-2").CustomConnectors);
    }

    [Fact]
    public async Task Agents_come_from_each_environments_Dataverse_bots_table_across_odata_pages_and_everyone_from_app_permissions()
    {
        for (var i = 0; i < 5; i++)
        {
            _fake.AddAgent(Env, $"b0000000-0000-4000-8000-{i:D12}", $"Agent {i}", $"owner-{i}", $"Owner {i}", Old);
        }

        _fake.AddApp(Env, "a0000000-0000-4000-8000-000000000099", "Company news", "owner-1", "Olu", Old, [], sharedUsers: 2, everyone: true);
        var environments = await Client().GetEnvironmentsAsync();

        var agents = await Client().GetAgentsAsync(environments[0]);
        var none = await Client().GetAgentsAsync(environments.Single(e => e.Name == "dev-1"));
        var app = Assert.Single(await Client().GetAppsAsync(Env));

        Assert.Equal(5, agents.Count);
        Assert.Equal(("owner-4", "Owner 4", SolutionKind.Agent), (agents[4].OwnerObjectId, agents[4].OwnerName, agents[4].Kind));
        Assert.Equal(3, _fake.Calls.Count(c => c.PathAndQuery.Contains("/bots", StringComparison.Ordinal)));
        Assert.Empty(none);
        Assert.True(app.SharedWithEveryone);
    }
}
