using FusionBot.Features.Inventory;
using FusionBot.Requests;
using FusionBot.TestKit;
using FusionBot.TestKit.Cards;
using FusionBot.TestKit.Graph;

namespace FusionBot.FunctionalTests.Inventory;

/// <summary>
/// An owner who never opened a chat with the bot: with <c>Platform:TeamsAppId</c> the bot installs itself for them
/// through Graph, Teams tells it of the new chat, and the card follows once; without it, they are listed for the CoE.
/// </summary>
public sealed class OwnerInstallTests : IAsyncLifetime
{
    private FakeGraphServer _graph = null!;
    private PlatformTenant _t = null!;

    public async Task InitializeAsync()
    {
        _graph = await FakeGraphServer.StartAsync();
        var settings = new Dictionary<string, string?>(_graph.Configuration) { ["Platform:TeamsAppId"] = "teams-app-1" };
        _t = await PlatformTenant.StartAsync(tableStorage: null, settings);
        await _t.Bot.SayAsync("hi");
    }

    public async Task DisposeAsync()
    {
        await _t.DisposeAsync();
        await _graph.DisposeAsync();
    }

    private int OwnerCardsToUnreachable() => _t.Bot.Connector.Calls.Count(c =>
        c.ConversationId == _t.Bot.Activities.PersonalConversation(PlatformTenant.Unreachable).Id
        && c.Body.Contains(OwnerCard.RegisterKey, StringComparison.Ordinal));

    [Fact]
    public async Task The_bot_installs_itself_for_an_owner_without_a_chat_and_asks_them_once_Teams_reports_the_chat()
    {
        await _t.SyncAsync();

        var install = Assert.Single(_graph.Calls, c => c.Path.EndsWith("/teamwork/installedApps", StringComparison.Ordinal));
        Assert.Equal($"/v1.0/users/{PlatformTenant.Unreachable.AadObjectId}/teamwork/installedApps", install.Path);
        Assert.EndsWith("/appCatalogs/teamsApps/teams-app-1", install.Body!["teamsApp@odata.bind"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, OwnerCardsToUnreachable());

        // Teams installs the app and tells the bot; the card follows when its item falls due.
        await _t.Bot.TurnAsync(_t.Bot.Activities.BotAddedToPersonalChat(PlatformTenant.Unreachable));
        var key = InventoryStore.Key(SolutionKind.Flow, PlatformTenant.Default, PlatformTenant.InvoiceFlow);
        await _t.RunOutboxItemAsync(OwnerCardHandler.ItemId(_t.TenantId, key) + ":installed");

        Assert.Equal(1, OwnerCardsToUnreachable());
        Assert.Contains("Invoice sync", _t.Bot.Connector.Calls.Last(c => c.Body.Contains(OwnerCard.RegisterKey, StringComparison.Ordinal)).Body, StringComparison.Ordinal);
        var ungoverned = await _t.SayAsync("portfolio ungoverned", PlatformTenant.Admin);
        Assert.DoesNotContain("no chat with the bot", ungoverned, StringComparison.Ordinal);

        await _t.SyncAsync();
        Assert.Equal(1, OwnerCardsToUnreachable());
        Assert.Single(_graph.Calls, c => c.Path.EndsWith("/teamwork/installedApps", StringComparison.Ordinal));
        await AdaptiveCardValidator.AssertValidAsync([.. _t.Bot.CardsSent()]);
    }
}
