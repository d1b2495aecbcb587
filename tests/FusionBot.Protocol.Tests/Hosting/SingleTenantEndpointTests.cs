using System.Net;
using FusionBot.Protocol.Authentication;
using FusionBot.TestKit;

namespace FusionBot.Protocol.Tests.Hosting;

/// <summary>
/// A single-tenant bot also receives tokens its own Entra ID tenant issued. Any app registration of that tenant can mint
/// one for the bot's audience, so they are accepted only from the callers listed in BotFramework:AllowedCallers.
/// </summary>
public sealed class SingleTenantEndpointTests : IAsyncLifetime
{
    private const string Tenant = "0b5e7a1c-1111-4222-8333-944444444444";
    private const string AllowedCaller = "a11ed0c0-0000-4000-8000-00000000ca11";
    private const string ForeignCaller = "f0e19000-0000-4000-8000-0000000bad00";

    private FakeBotIdentity identity = null!;
    private RecordingConnector connector = null!;
    private TestBotHost host = null!;
    private TeamsActivityBuilder teams = null!;

    public async Task InitializeAsync()
    {
        identity = await FakeBotIdentity.StartAsync();
        connector = await RecordingConnector.StartAsync();
        host = await TestBotHost.StartAsync(SingleTenant(AllowedCaller));
        teams = new TeamsActivityBuilder(connector.ServiceUrl, tenantId: Tenant);
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await connector.DisposeAsync();
        await identity.DisposeAsync();
    }

    [Theory]
    [InlineData(EntraTokenVersion.V1)]
    [InlineData(EntraTokenVersion.V2)]
    public async Task A_token_of_the_bots_tenant_from_an_allowed_caller_is_accepted(EntraTokenVersion version)
    {
        var message = teams.PersonalMessage("ping");

        var response = await host.Client.PostActivityAsync(message, identity.CreateEntraToken(Tenant, AllowedCaller, version));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = await connector.WaitForAsync(c => c.Activity?.Text == "pong: ping");
        Assert.Equal(message.Conversation!.Id, reply.ConversationId);
    }

    [Theory]
    [InlineData(EntraTokenVersion.V1)]
    [InlineData(EntraTokenVersion.V2)]
    public async Task A_token_of_the_bots_tenant_from_any_other_app_is_refused_and_nothing_is_sent(EntraTokenVersion version)
    {
        var message = teams.PersonalMessage("I am a CoE admin");

        var response = await host.Client.PostActivityAsync(message, identity.CreateEntraToken(Tenant, ForeignCaller, version));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(host.Bot.SawActivity(message.Id));
        Assert.Empty(connector.Calls);
        Assert.Equal(0, identity.TokenRequestCount);
    }

    [Fact]
    public async Task Without_allowed_callers_tokens_of_the_bots_tenant_are_refused_even_from_azure_bot_services_caller()
    {
        await using var strict = await TestBotHost.StartAsync(SingleTenant());
        var message = teams.PersonalMessage("ping");

        var response = await strict.Client.PostActivityAsync(message, identity.CreateEntraToken(Tenant, AllowedCaller));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(strict.Bot.SawActivity(message.Id));
        Assert.Empty(connector.Calls);
    }

    [Fact]
    public async Task Bot_framework_channel_tokens_are_still_accepted()
    {
        var message = teams.PersonalMessage("ping");

        var response = await host.Client.PostActivityAsync(message, identity.CreateInboundToken(connector.ServiceUrl));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(host.Bot.SawActivity(message.Id));
    }

    public static TheoryData<string> ForeignEntraTokens => ["another tenant's issuer", "tid of another tenant", "another audience"];

    [Theory]
    [MemberData(nameof(ForeignEntraTokens))]
    public async Task An_allowed_callers_token_for_another_tenant_or_audience_is_refused(string problem)
    {
        var message = teams.PersonalMessage("ping");
        var token = problem switch
        {
            "another tenant's issuer" => identity.CreateEntraToken("another-tenant", AllowedCaller),
            "tid of another tenant" => identity.CreateEntraToken(Tenant, AllowedCaller, tokenTenant: "another-tenant"),
            "another audience" => identity.CreateEntraToken(Tenant, AllowedCaller, audience: "another-bot"),
            _ => throw new ArgumentOutOfRangeException(nameof(problem)),
        };

        var response = await host.Client.PostActivityAsync(message, token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(host.Bot.SawActivity(message.Id));
    }

    [Fact]
    public async Task An_activity_of_another_tenant_is_refused_by_default_for_a_single_tenant_bot()
    {
        var foreign = new TeamsActivityBuilder(connector.ServiceUrl, tenantId: "72f988bf-9999-4000-8000-0000000f0e19").PersonalMessage("ping");

        var response = await host.Client.PostActivityAsync(foreign, identity.CreateInboundToken(connector.ServiceUrl));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(host.Bot.SawActivity(foreign.Id));
        Assert.Empty(connector.Calls);
    }

    private Dictionary<string, string?> SingleTenant(params string[] allowedCallers)
    {
        var configuration = new Dictionary<string, string?>(identity.ConfigurationAllowing(connector.ServiceUrl))
        {
            ["MicrosoftAppType"] = BotAppTypes.SingleTenant,
            ["MicrosoftAppTenantId"] = Tenant,
        };
        for (var i = 0; i < allowedCallers.Length; i++)
        {
            configuration[$"BotFramework:AllowedCallers:{i}"] = allowedCallers[i];
        }

        return configuration;
    }
}
