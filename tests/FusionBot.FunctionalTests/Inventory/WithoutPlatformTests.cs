using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.TestKit;
using FusionBot.TestKit.Cards;

namespace FusionBot.FunctionalTests.Inventory;

/// <summary>With no <c>Platform</c> settings nothing reads the tenant: the connector rules are the configured catalogue.</summary>
public sealed class WithoutPlatformTests : IAsyncLifetime
{
    private static readonly TeamsUser Admin = new("29:admin-1", "Ada Admin", "a0000000-0000-4000-8000-00000000000a");
    private BotHost _bot = null!;

    public async Task InitializeAsync() =>
        _bot = await BotHost.StartAsync(settings: new Dictionary<string, string?> { ["Governance:AdminIds:0"] = Admin.AadObjectId });

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    private async Task<string> SayAsync(string text, TeamsUser? user = null) =>
        string.Join("\n", (await _bot.SayAsync(text, user)).Select(a => a.Text ?? a.Attachments?[0].Content?.ToString()));

    [Fact]
    public async Task Connectors_shows_the_configured_catalogue_and_the_sync_says_how_to_connect()
    {
        var connectors = await SayAsync("connectors");
        Assert.Contains("connector catalogue (the same in every environment)", connectors, StringComparison.Ordinal);
        Assert.Contains("Dropbox", connectors, StringComparison.Ordinal);

        Assert.Contains("Platform:TenantId", await SayAsync("platform sync", Admin), StringComparison.Ordinal);
        Assert.Contains("Platform:TenantId", await SayAsync("portfolio ungoverned", Admin), StringComparison.Ordinal);
        Assert.Contains("Only CoE admins", await SayAsync("platform sync"), StringComparison.Ordinal);
        await AdaptiveCardValidator.AssertValidAsync([.. _bot.CardsSent()]);
    }
}
