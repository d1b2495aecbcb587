using System.Net;
using FusionBot.Protocol.Models;
using FusionBot.TestKit;

namespace FusionBot.Protocol.Tests.Hosting;

/// <summary>
/// What an authentic activity must also satisfy before the bot sees it: the msteams channel, a serviceUrl on the
/// allow-list (the bot would otherwise present its token to whatever host the activity names) and an allowed tenant.
/// </summary>
public sealed class AdmissionTests : IAsyncLifetime
{
    private const string OtherTenant = "0f0e1900-2222-4333-8444-955555555555";

    private FakeBotIdentity identity = null!;
    private RecordingConnector connector = null!;
    private RecordingConnector unlisted = null!;
    private TestBotHost host = null!;
    private TeamsActivityBuilder teams = null!;

    public async Task InitializeAsync()
    {
        identity = await FakeBotIdentity.StartAsync();
        connector = await RecordingConnector.StartAsync();
        unlisted = await RecordingConnector.StartAsync();
        host = await TestBotHost.StartAsync(identity.ConfigurationAllowing(connector.ServiceUrl));
        teams = new TeamsActivityBuilder(connector.ServiceUrl);
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await unlisted.DisposeAsync();
        await connector.DisposeAsync();
        await identity.DisposeAsync();
    }

    [Fact]
    public async Task A_validly_signed_activity_naming_an_unlisted_service_url_is_refused_and_that_host_never_sees_the_token()
    {
        var message = new TeamsActivityBuilder(unlisted.ServiceUrl).PersonalMessage("ping");

        // The token is genuine for that serviceUrl: what a leaked or replayed channel token would carry.
        var response = await host.Client.PostActivityAsync(message, identity.CreateInboundToken(unlisted.ServiceUrl));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(host.Bot.SawActivity(message.Id));
        Assert.Empty(unlisted.Calls);
        Assert.Empty(connector.Calls);
        Assert.Equal(0, identity.TokenRequestCount);
    }

    [Theory]
    [InlineData("webchat")]
    [InlineData("emulator")]
    [InlineData(null)]
    public async Task An_activity_of_another_channel_is_refused_when_authentication_is_on(string? channelId)
    {
        var message = teams.PersonalMessage("ping");
        message.ChannelId = channelId;

        var response = await host.Client.PostActivityAsync(message, identity.CreateInboundToken(connector.ServiceUrl));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(host.Bot.SawActivity(message.Id));
        Assert.Empty(connector.Calls);
    }

    [Fact]
    public async Task With_allowed_tenants_listed_another_tenants_activity_is_refused_before_the_bot()
    {
        await using var listed = await TestBotHost.StartAsync(WithTenants(TeamsActivityBuilder.DefaultTenantId));
        var own = teams.PersonalMessage("mine");
        var foreign = new TeamsActivityBuilder(connector.ServiceUrl, tenantId: OtherTenant).PersonalMessage("theirs", TeamsUser.Reviewer);
        foreign.Id = "foreign-1"; // each builder numbers its activities from the same start

        var ownResponse = await listed.Client.PostActivityAsync(own, identity.CreateInboundToken(connector.ServiceUrl));
        var foreignResponse = await listed.Client.PostActivityAsync(foreign, identity.CreateInboundToken(connector.ServiceUrl));

        Assert.Equal(HttpStatusCode.OK, ownResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreignResponse.StatusCode);
        Assert.False(listed.Bot.SawActivity(foreign.Id));
        Assert.DoesNotContain(connector.Calls, c => c.ConversationId == foreign.Conversation!.Id);
    }

    [Fact]
    public async Task With_allowed_tenants_listed_an_activity_naming_no_tenant_is_refused()
    {
        await using var listed = await TestBotHost.StartAsync(WithTenants(TeamsActivityBuilder.DefaultTenantId));
        var message = teams.PersonalMessage("who am I");
        message.Conversation!.TenantId = null;
        message.ChannelData = null;

        var response = await listed.Client.PostActivityAsync(message, identity.CreateInboundToken(connector.ServiceUrl));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(listed.Bot.SawActivity(message.Id));
    }

    [Fact]
    public async Task An_activity_whose_conversation_and_channel_data_name_different_tenants_is_refused()
    {
        await using var listed = await TestBotHost.StartAsync(WithTenants(TeamsActivityBuilder.DefaultTenantId, OtherTenant));
        var message = teams.PersonalMessage("two tenants");
        message.ChannelData!["tenant"]!["id"] = OtherTenant;

        var response = await listed.Client.PostActivityAsync(message, identity.CreateInboundToken(connector.ServiceUrl));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(listed.Bot.SawActivity(message.Id));
    }

    [Fact]
    public async Task A_multi_tenant_bot_without_a_tenant_list_serves_every_tenant()
    {
        var foreign = new TeamsActivityBuilder(connector.ServiceUrl, tenantId: OtherTenant).PersonalMessage("ping");

        var response = await host.Client.PostActivityAsync(foreign, identity.CreateInboundToken(connector.ServiceUrl));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(host.Bot.SawActivity(foreign.Id));
    }

    public static TheoryData<string, string> Incomplete => new()
    {
        { "no serviceUrl", "activity has no serviceUrl" },
        { "no conversation", "activity has no conversation" },
        { "no conversation id", "activity has no conversation" },
        { "channelData.tenant is a string", "malformed channelData" },
    };

    [Theory]
    [MemberData(nameof(Incomplete))]
    public async Task A_message_without_what_it_is_answered_on_is_a_400_never_a_500(string problem, string reason)
    {
        var message = teams.PersonalMessage("ping");
        switch (problem)
        {
            case "no serviceUrl": message.ServiceUrl = null; break;
            case "no conversation": message.Conversation = null; break;
            case "no conversation id": message.Conversation!.Id = null; break;
            default: message.ChannelData!["tenant"] = "not-an-object"; break;
        }

        var response = await host.Client.PostActivityAsync(message, identity.CreateInboundToken(connector.ServiceUrl));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(reason, await response.Content.ReadAsStringAsync());
        Assert.False(host.Bot.SawActivity(message.Id));
    }

    [Fact]
    public async Task Unauthenticated_development_still_refuses_a_service_url_that_is_neither_loopback_nor_listed()
    {
        await using var open = await TestBotHost.StartAsync([], environment: "Development");
        var message = new TeamsActivityBuilder("https://attacker.example/").PersonalMessage("ping");

        var response = await open.Client.PostActivityAsync(message, bearerToken: null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(open.Bot.SawActivity(message.Id));
    }

    private Dictionary<string, string?> WithTenants(params string[] tenants)
    {
        var configuration = new Dictionary<string, string?>(identity.ConfigurationAllowing(connector.ServiceUrl));
        for (var i = 0; i < tenants.Length; i++)
        {
            configuration[$"BotFramework:AllowedTenants:{i}"] = tenants[i];
        }

        return configuration;
    }
}
