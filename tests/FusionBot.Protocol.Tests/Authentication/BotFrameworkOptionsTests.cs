using FusionBot.Protocol.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FusionBot.Protocol.Tests.Authentication;

public class BotFrameworkOptionsTests
{
    [Fact]
    public void Identity_is_read_from_the_root_keys_and_endpoints_from_the_BotFramework_section()
    {
        using var services = ProtocolServices.Create(new Dictionary<string, string?>
        {
            ["MicrosoftAppId"] = "app-1",
            ["MicrosoftAppPassword"] = "secret",
            ["MicrosoftAppTenantId"] = "tenant-1",
            ["MicrosoftAppType"] = "SingleTenant",
            ["BotFramework:OpenIdMetadataUrl"] = "https://metadata.example/openid",
        });

        var options = services.GetRequiredService<IOptions<BotFrameworkOptions>>().Value;

        Assert.Equal(("app-1", "secret", "tenant-1"), (options.MicrosoftAppId, options.MicrosoftAppPassword, options.MicrosoftAppTenantId));
        Assert.True(options.IsSingleTenant);
        Assert.Equal("https://metadata.example/openid", options.OpenIdMetadataUrl);
        Assert.Equal(new Uri("https://login.microsoftonline.com/tenant-1/oauth2/v2.0/token"), options.GetTokenEndpoint());
        Assert.Equal("https://login.microsoftonline.com/tenant-1/v2.0/.well-known/openid-configuration", options.GetEntraOpenIdMetadataUrl());
    }

    [Fact]
    public void Defaults_are_the_public_bot_framework_endpoints()
    {
        using var services = ProtocolServices.Create(new Dictionary<string, string?> { ["MicrosoftAppId"] = "app-1", ["MicrosoftAppPassword"] = "s" });

        var options = services.GetRequiredService<IOptions<BotFrameworkOptions>>().Value;

        Assert.Equal(BotAppTypes.MultiTenant, options.MicrosoftAppType);
        Assert.Equal("https://login.botframework.com/v1/.well-known/openidconfiguration", options.OpenIdMetadataUrl);
        Assert.Equal(new Uri("https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token"), options.GetTokenEndpoint());
    }

    [Theory]
    [InlineData("MultiTenant", null, null, "MicrosoftAppPassword")]
    [InlineData("SingleTenant", "secret", null, "MicrosoftAppTenantId")]
    [InlineData("SingleTenant", null, "tenant-1", "MicrosoftAppPassword")]
    [InlineData("UserAssignedMSI", null, null, "MicrosoftAppTenantId")]
    [InlineData("Certificate", "secret", null, "MicrosoftAppType")]
    public void A_missing_or_wrong_setting_is_named(string type, string? password, string? tenant, string expectedKey)
    {
        using var services = ProtocolServices.Create(new Dictionary<string, string?>
        {
            ["MicrosoftAppId"] = "app-1",
            ["MicrosoftAppType"] = type,
            ["MicrosoftAppPassword"] = password,
            ["MicrosoftAppTenantId"] = tenant,
        });

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<BotFrameworkOptions>>().Value);

        Assert.Contains(expectedKey, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_managed_identity_needs_no_password()
    {
        using var services = ProtocolServices.Create(new Dictionary<string, string?>
        {
            ["MicrosoftAppId"] = "client-id-1",
            ["MicrosoftAppType"] = "UserAssignedMSI",
            ["MicrosoftAppTenantId"] = "tenant-1",
        });

        Assert.True(services.GetRequiredService<IOptions<BotFrameworkOptions>>().Value.IsManagedIdentity);
    }

    [Fact]
    public void Allowed_callers_on_a_multi_tenant_bot_are_refused_rather_than_silently_ignored()
    {
        using var services = ProtocolServices.Create(new Dictionary<string, string?>
        {
            ["MicrosoftAppId"] = "app-1",
            ["MicrosoftAppPassword"] = "s",
            ["BotFramework:AllowedCallers:0"] = "caller-1",
        });

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<BotFrameworkOptions>>().Value);

        Assert.Contains("BotFramework:AllowedCallers", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_allowed_service_url_that_is_not_an_absolute_http_url_is_named()
    {
        using var services = ProtocolServices.Create(new Dictionary<string, string?>
        {
            ["MicrosoftAppId"] = "app-1",
            ["MicrosoftAppPassword"] = "s",
            ["BotFramework:AllowedServiceUrls:0"] = "smba.infra.gov.teams.microsoft.us/teams",
        });

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<BotFrameworkOptions>>().Value);

        Assert.Contains("BotFramework:AllowedServiceUrls", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SingleTenant", null, "tenant-1")]
    [InlineData("UserAssignedMSI", null, "tenant-1")]
    [InlineData("MultiTenant", null, "")]
    [InlineData("SingleTenant", "tenant-2", "tenant-2")]
    [InlineData("MultiTenant", "tenant-2", "tenant-2")]
    public void The_tenants_served_default_to_the_bots_own_for_single_tenant_identities(string type, string? listed, string expected)
    {
        using var services = ProtocolServices.Create(new Dictionary<string, string?>
        {
            ["MicrosoftAppId"] = "app-1",
            ["MicrosoftAppPassword"] = "s",
            ["MicrosoftAppType"] = type,
            ["MicrosoftAppTenantId"] = "tenant-1",
            ["BotFramework:AllowedTenants:0"] = listed,
        });

        var options = services.GetRequiredService<IOptions<BotFrameworkOptions>>().Value;

        Assert.Equal(expected, string.Join(",", options.GetAllowedTenants()));
    }

    [Fact]
    public void Production_without_an_app_id_is_refused()
    {
        using var services = ProtocolServices.Create([], environment: "Production");

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<BotFrameworkOptions>>().Value);

        Assert.Contains("MicrosoftAppId", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Development_without_an_app_id_runs_with_authentication_off()
    {
        using var services = ProtocolServices.Create([], environment: "Development");

        Assert.False(services.GetRequiredService<IOptions<BotFrameworkOptions>>().Value.IsAuthenticationEnabled);
    }
}
