using System.Net;
using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.Protocol.Authentication;
using FusionBot.TestKit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace FusionBot.FunctionalTests.Hosting;

/// <summary>
/// The attacks of issue 14 replayed against the real app: a token minted by another app of the bot's tenant, an
/// activity naming a host of the attacker's choosing, another channel, another tenant, and a deployment without an
/// app id. Each is refused before the bot stores or sends anything.
/// </summary>
public sealed class AuthenticationTests
{
    private const string AzureBotServiceCaller = "a11ed0c0-0000-4000-8000-00000000ca11";
    private const string OtherAppOfTheTenant = "f0e19000-0000-4000-8000-0000000bad00";

    [Theory]
    [InlineData(EntraTokenVersion.V1)]
    [InlineData(EntraTokenVersion.V2)]
    public async Task A_single_tenant_bot_refuses_a_token_another_app_of_its_tenant_minted_and_posts_nothing(EntraTokenVersion version)
    {
        await using var bot = await StartSingleTenantAsync();
        using var client = bot.CreateClient();
        var message = bot.Activities.PersonalMessage("portfolio export");

        var forged = await client.PostActivityAsync(message, bot.Identity.CreateEntraToken(TeamsActivityBuilder.DefaultTenantId, OtherAppOfTheTenant, version));

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Empty(bot.Connector.Calls);
        Assert.Equal(0, bot.Identity.TokenRequestCount);
    }

    [Fact]
    public async Task A_single_tenant_bot_answers_a_token_of_its_tenant_from_an_allowed_caller()
    {
        await using var bot = await StartSingleTenantAsync();
        using var client = bot.CreateClient();

        var response = await client.PostActivityAsync(
            bot.Activities.PersonalMessage("help"), bot.Identity.CreateEntraToken(TeamsActivityBuilder.DefaultTenantId, AzureBotServiceCaller));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = Assert.Single(bot.Connector.Calls);
        Assert.Contains(reply.BearerToken, bot.Identity.IssuedTokens);
    }

    [Fact]
    public async Task An_activity_naming_an_unlisted_service_url_is_refused_and_that_host_receives_nothing()
    {
        await using var bot = await BotHost.StartAsync();
        await using var attacker = await RecordingConnector.StartAsync();
        using var client = bot.CreateClient();
        var message = new TeamsActivityBuilder(attacker.ServiceUrl).PersonalMessage("help");

        var response = await client.PostActivityAsync(message, bot.Identity.CreateInboundToken(attacker.ServiceUrl));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(attacker.Calls);
        Assert.Empty(bot.Connector.Calls);
        Assert.Equal(0, bot.Identity.TokenRequestCount);
    }

    [Fact]
    public async Task An_activity_of_another_channel_than_msteams_is_refused()
    {
        await using var bot = await BotHost.StartAsync();
        using var client = bot.CreateClient();
        var message = bot.Activities.PersonalMessage("help");
        message.ChannelId = "webchat";

        var response = await client.PostActivityAsync(message, bot.Identity.CreateInboundToken(message.ServiceUrl!));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(bot.Connector.Calls);
    }

    [Fact]
    public async Task An_activity_of_a_tenant_not_allowed_is_refused_and_nothing_is_stored()
    {
        var path = Path.Combine(Path.GetTempPath(), $"fusionbot-auth-{Guid.NewGuid():N}.db");
        try
        {
            await using var bot = await BotHost.StartAsync(settings: new Dictionary<string, string?>
            {
                ["Storage:EmbeddedPath"] = path,
                ["BotFramework:AllowedTenants:0"] = TeamsActivityBuilder.DefaultTenantId,
            });
            using var client = bot.CreateClient();
            const string ForeignTenant = "0f0e1900-2222-4333-8444-955555555555";
            var foreign = new TeamsActivityBuilder(bot.Connector.ServiceUrl, tenantId: ForeignTenant);

            var install = await client.PostActivityAsync(foreign.BotAddedToPersonalChat(), bot.Identity.CreateInboundToken(foreign.ServiceUrl));
            var message = await client.PostActivityAsync(foreign.PersonalMessage("new request"), bot.Identity.CreateInboundToken(foreign.ServiceUrl));

            Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (install.StatusCode, message.StatusCode));
            Assert.Equal(0, await CountRowsMentioningAsync(path, ForeignTenant));
            Assert.Empty(bot.Connector.Calls);

            // The same activity from the allowed tenant is stored and answered: the count above can see a write.
            // (Counted per tenant: the bot's own start-up jobs write rows of their own meanwhile.)
            await bot.TurnAsync(bot.Activities.BotAddedToPersonalChat());
            Assert.True(await CountRowsMentioningAsync(path, TeamsActivityBuilder.DefaultTenantId) > 0);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    [Fact]
    public void Staging_without_an_app_id_refuses_to_start()
    {
        using var app = new AppWithoutAppId("Staging");

        var failure = Assert.ThrowsAny<Exception>(() => app.Factory.CreateClient());

        Assert.Contains("MicrosoftAppId is not set", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Development_without_an_app_id_runs_unauthenticated_and_sends_no_token()
    {
        await using var connector = await RecordingConnector.StartAsync();
        using var app = new AppWithoutAppId("Development");
        using var client = app.Factory.CreateClient();

        var response = await client.PostActivityAsync(new TeamsActivityBuilder(connector.ServiceUrl).PersonalMessage("help"), bearerToken: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = Assert.Single(connector.Calls);
        Assert.Null(reply.Authorization);
    }

    private static Task<BotHost> StartSingleTenantAsync() => BotHost.StartAsync(settings: new Dictionary<string, string?>
    {
        ["MicrosoftAppType"] = BotAppTypes.SingleTenant,
        ["MicrosoftAppTenantId"] = TeamsActivityBuilder.DefaultTenantId,
        ["BotFramework:AllowedCallers:0"] = AzureBotServiceCaller,
    });

    /// <summary>The app as someone deploys it without an app id: no bot identity at all, in <c>environment</c>.</summary>
    private sealed class AppWithoutAppId : IDisposable
    {
        private readonly string path = Path.Combine(Path.GetTempPath(), $"fusionbot-no-app-id-{Guid.NewGuid():N}.db");

        public AppWithoutAppId(string environment) =>
            Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
            {
                builder.UseEnvironment(environment);
                builder.UseSetting("MicrosoftAppId", string.Empty);
                builder.UseSetting("MicrosoftAppPassword", string.Empty);
                builder.UseSetting("Storage:EmbeddedPath", path);
            });

        public WebApplicationFactory<Program> Factory { get; }

        public void Dispose()
        {
            Factory.Dispose();
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    private static async Task<long> CountRowsMentioningAsync(string path, string tenantId)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM rows WHERE instr(pk, $t) > 0 OR instr(rk, $t) > 0 OR instr(data, $t) > 0";
        command.Parameters.AddWithValue("$t", tenantId);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
