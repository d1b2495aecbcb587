using System.Net;
using FusionBot.Protocol.Authentication;
using FusionBot.TestKit;

namespace FusionBot.Protocol.Tests.Hosting;

/// <summary>A single-tenant bot also trusts Entra ID tokens of its own tenant (v1 and v2 issuers).</summary>
public sealed class SingleTenantEndpointTests : IAsyncLifetime
{
    private const string Tenant = "0b5e7a1c-1111-4222-8333-944444444444";

    private FakeBotIdentity identity = null!;
    private RecordingConnector connector = null!;
    private TestBotHost host = null!;
    private TeamsActivityBuilder teams = null!;

    public async Task InitializeAsync()
    {
        identity = await FakeBotIdentity.StartAsync();
        connector = await RecordingConnector.StartAsync();
        host = await TestBotHost.StartAsync(new Dictionary<string, string?>(identity.Configuration)
        {
            ["MicrosoftAppType"] = BotAppTypes.SingleTenant,
            ["MicrosoftAppTenantId"] = Tenant,
            // The fake serves one key set; here it stands in for the tenant's Entra ID metadata too.
            ["BotFramework:EntraOpenIdMetadataUrlTemplate"] = identity.OpenIdMetadataUrl,
        });
        teams = new TeamsActivityBuilder(connector.ServiceUrl, tenantId: Tenant);
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await connector.DisposeAsync();
        await identity.DisposeAsync();
    }

    [Theory]
    [InlineData("https://sts.windows.net/" + Tenant + "/", HttpStatusCode.OK)]
    [InlineData("https://login.microsoftonline.com/" + Tenant + "/v2.0", HttpStatusCode.OK)]
    [InlineData(AuthenticationConstants.BotFrameworkIssuer, HttpStatusCode.OK)]
    [InlineData("https://login.microsoftonline.com/another-tenant/v2.0", HttpStatusCode.Unauthorized)]
    [InlineData("https://sts.windows.net/another-tenant/", HttpStatusCode.Unauthorized)]
    public async Task Tokens_are_trusted_from_the_bot_framework_and_the_bots_own_tenant_only(string issuer, HttpStatusCode expected)
    {
        var message = teams.PersonalMessage("ping");

        var response = await host.Client.PostActivityAsync(message, identity.CreateInboundToken(connector.ServiceUrl, issuer: issuer));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expected == HttpStatusCode.OK, host.Bot.SawActivity(message.Id));
    }
}
