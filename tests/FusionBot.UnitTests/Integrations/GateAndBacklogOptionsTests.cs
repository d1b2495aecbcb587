using FusionBot.Features.Backlog;
using FusionBot.Features.Pipelines;

namespace FusionBot.UnitTests.Integrations;

/// <summary>The pipelines gate and the shared backlog refuse, at start, settings that would leave an endpoint open or a state unknown.</summary>
public sealed class GateAndBacklogOptionsTests
{
    private const string Tenant = "72f988bf-0000-4000-8000-00000000c0de";

    [Fact]
    public void Unset_both_are_off_and_valid()
    {
        Assert.True(new PipelinesOptionsValidator().Validate(null, new PipelinesOptions()).Succeeded);
        Assert.True(new BacklogOptionsValidator().Validate(null, new BacklogOptions()).Succeeded);
    }

    [Fact]
    public void A_gate_without_allowed_callers_or_a_tenant_is_refused()
    {
        var result = new PipelinesOptionsValidator().Validate(null, new PipelinesOptions { HostUrl = new Uri("https://contoso.crm.dynamics.com") });

        Assert.False(result.Succeeded);
        Assert.Contains(result.Failures!, f => f.Contains("Pipelines:AllowedCallers", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("Pipelines:TenantId", StringComparison.Ordinal));
    }

    [Fact]
    public void A_gate_needs_a_token_caller_or_a_long_webhook_secret_and_either_alone_will_do()
    {
        PipelinesOptions Gate(string? secret, params string[] callers) => new()
        {
            HostUrl = new Uri("https://contoso.crm.dynamics.com"), TenantId = Tenant, WebhookSecret = secret, AllowedCallers = callers,
        };
        var validator = new PipelinesOptionsValidator();

        var neither = validator.Validate(null, Gate(null));
        var shortSecret = validator.Validate(null, Gate("too-short-to-be-a-secret"));

        Assert.Contains(neither.Failures!, f => f.Contains("Pipelines:WebhookSecret be set", StringComparison.Ordinal));
        Assert.Contains(shortSecret.Failures!, f => f.Contains("at least 32 characters", StringComparison.Ordinal));
        Assert.True(validator.Validate(null, Gate(new string('k', 32))).Succeeded);
        Assert.True(validator.Validate(null, Gate(null, "app")).Succeeded);
        Assert.True(validator.Validate(null, Gate(new string('k', 32), "app")).Succeeded);
        Assert.False(validator.Validate(null, new PipelinesOptions { WebhookSecret = new string('k', 32) }).Succeeded);
        var instant = Gate(null, "app");
        instant.PromotionTimeout = TimeSpan.FromSeconds(5);
        Assert.Contains(validator.Validate(null, instant).Failures!, f => f.Contains("Pipelines:PromotionTimeout", StringComparison.Ordinal));
    }

    [Fact]
    public void A_gate_on_plain_http_is_refused_but_callers_without_a_host_are_named()
    {
        var http = new PipelinesOptionsValidator().Validate(null, new PipelinesOptions
        {
            HostUrl = new Uri("http://contoso.crm.dynamics.com"), TenantId = Tenant, AllowedCallers = ["app"],
        });
        var hostless = new PipelinesOptionsValidator().Validate(null, new PipelinesOptions { AllowedCallers = ["app"] });

        Assert.Contains(http.Failures!, f => f.Contains("Pipelines:HostUrl", StringComparison.Ordinal));
        Assert.Contains(hostless.Failures!, f => f.Contains("Pipelines:HostUrl is required", StringComparison.Ordinal));
    }

    [Fact]
    public void A_backlog_without_a_hook_password_or_with_an_unknown_status_is_refused()
    {
        var result = new BacklogOptionsValidator().Validate(null, new BacklogOptions
        {
            Organization = "contoso",
            Project = "Fusion",
            TenantId = Tenant,
            ServiceHookPassword = "short",
            States = [new BacklogState { Status = "Shipped", State = "Done" }],
        });

        Assert.Contains(result.Failures!, f => f.Contains("Backlog:ServiceHookPassword", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("'Shipped'", StringComparison.Ordinal));
    }

    [Fact]
    public void Configured_states_replace_the_agile_defaults()
    {
        var defaults = new BacklogOptions();
        var scrum = new BacklogOptions { States = [new BacklogState { Status = "InDevelopment", State = "Committed" }] };

        Assert.Equal("Active", defaults.EffectiveStates["InDevelopment"]);
        Assert.Equal("Committed", scrum.EffectiveStates["indevelopment"]);
        Assert.False(scrum.EffectiveStates.ContainsKey("Delivered"));
    }
}
