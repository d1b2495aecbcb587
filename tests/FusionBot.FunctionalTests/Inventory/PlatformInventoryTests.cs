using System.Text.Json.Nodes;
using FusionBot.Features.Classification;
using FusionBot.Features.Inventory;
using FusionBot.Features.Outbox;
using FusionBot.Features.Portfolio;
using FusionBot.PowerPlatform;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.TestKit;
using FusionBot.TestKit.Azurite;
using FusionBot.TestKit.Cards;

namespace FusionBot.FunctionalTests.Inventory;

/// <summary>
/// The sync against the fake tenant (3 environments, 2 data policies, 40 apps, flows and agents) through the real app:
/// the catalogue per environment, each flagged owner asked once, a registration from the owner's card landing in the
/// right tier and linked, the unreachable owner listed for the CoE, and a sharing jump re-opening the periodic review.
/// </summary>
public abstract class PlatformInventoryTests : IAsyncLifetime
{
    private PlatformTenant _t = null!;

    protected abstract AzuriteTableServer? TableStorage { get; }

    public async Task InitializeAsync()
    {
        _t = await PlatformTenant.StartAsync(TableStorage);
        // The maker has a 1:1 chat with the bot; the other owner never opened one.
        await _t.Bot.SayAsync("hi");
    }

    public async Task DisposeAsync() => await _t.DisposeAsync();

    private IReadOnlyList<RecordedCall> OwnerCardsTo(TeamsUser user) =>
    [
        .. _t.Bot.Connector.Calls.Where(c => c.ConversationId == _t.Bot.Activities.PersonalConversation(user).Id
            && c.Activity?.Attachments?.Any(a => a.Content?.ToString()?.Contains(OwnerCard.RegisterKey, StringComparison.Ordinal) == true) == true),
    ];

    private static string Key(SolutionKind kind, string environment, string id) => InventoryStore.Key(kind, environment, id);

    [Fact]
    public async Task A_sync_yields_each_environments_connectors_under_the_policies_in_force_there()
    {
        await _t.SyncAsync();

        var environments = await _t.Get<InventoryStore>().EnvironmentsAsync(_t.TenantId, default);
        // The default environment first, then by name.
        Assert.Equal([PlatformTenant.Default, PlatformTenant.Developer, PlatformTenant.Production], environments.Select(e => e.Environment.Name));
        ConnectorStatus StatusIn(string environment, string apiName) =>
            environments.Single(e => e.Environment.Name == environment).Connectors.Single(c => c.ApiName == apiName).Status;

        Assert.Equal(["Tenant baseline"], environments[0].Policies);
        Assert.Equal(ConnectorStatus.Approved, StatusIn(PlatformTenant.Default, "shared_sharepointonline"));
        Assert.Equal(ConnectorStatus.NeedsReview, StatusIn(PlatformTenant.Default, "shared_sql"));
        Assert.Equal(ConnectorStatus.Blocked, StatusIn(PlatformTenant.Default, "shared_dropbox"));
        // The configured catalogue is stricter than the policy here: it wins.
        Assert.Equal(ConnectorStatus.Blocked, StatusIn(PlatformTenant.Default, "shared_gmail"));

        Assert.Equal(["Tenant baseline", "Production lockdown"], environments[2].Policies);
        Assert.Equal(ConnectorStatus.NeedsReview, StatusIn(PlatformTenant.Production, "shared_sql"));
        Assert.Equal(ConnectorStatus.Blocked, StatusIn(PlatformTenant.Production, "shared_twitter"));
        Assert.Equal(ConnectorStatus.Blocked, StatusIn(PlatformTenant.Production, "shared_commondataserviceforapps"));
        Assert.Equal(ConnectorStatus.Approved, StatusIn(PlatformTenant.Production, "shared_sharepointonline"));

        Assert.Empty(environments[1].Policies);
        Assert.Equal(ConnectorStatus.NeedsReview, StatusIn(PlatformTenant.Developer, "shared_sql"));
        Assert.Equal(ConnectorStatus.Approved, StatusIn(PlatformTenant.Developer, "shared_sharepointonline"));

        var shown = await _t.SayAsync("connectors");
        Assert.Contains("Contoso Production", shown, StringComparison.Ordinal);
        Assert.Contains("blocked by data policy 'Production lockdown'", shown, StringComparison.Ordinal);
        Assert.Contains("No data policy covers it", shown, StringComparison.Ordinal);
        Assert.Equal(40, (await _t.Get<InventoryStore>().SolutionsAsync(_t.TenantId, default)).Count);
        await AdaptiveCardValidator.AssertValidAsync([.. _t.Bot.CardsSent()]);
    }

    [Fact]
    public async Task Each_flagged_owner_is_asked_once_however_often_the_tenant_is_synced()
    {
        await _t.SyncAsync();
        await _t.SyncAsync();
        await _t.Bot.RestartAsync();
        await _t.SyncAsync();

        var cards = OwnerCardsTo(TeamsUser.Maker);
        Assert.Equal(2, cards.Count);
        Assert.Single(cards, c => c.Body.Contains("Expense tracker", StringComparison.Ordinal) && c.Body.Contains("130 people", StringComparison.Ordinal)
            && c.Body.Contains("SQL Server (non-business in data policy", StringComparison.Ordinal));
        Assert.Single(cards, c => c.Body.Contains("HR helper", StringComparison.Ordinal) && c.Body.Contains("production environment", StringComparison.Ordinal));
        Assert.Empty(OwnerCardsTo(PlatformTenant.Unreachable));

        var solutions = await _t.Get<InventoryStore>().SolutionsAsync(_t.TenantId, default);
        Assert.Equal(
            [Key(SolutionKind.Agent, PlatformTenant.Production, PlatformTenant.HrAgent), Key(SolutionKind.App, PlatformTenant.Default, PlatformTenant.ExpenseApp), Key(SolutionKind.Flow, PlatformTenant.Default, PlatformTenant.InvoiceFlow)],
            solutions.Where(s => s.Flags.Count > 0).Select(s => InventoryStore.Key(s.Solution)).Order(StringComparer.Ordinal));
        await AdaptiveCardValidator.AssertValidAsync([.. _t.Bot.CardsSent()]);
    }

    [Fact]
    public async Task The_daily_sync_queues_the_next_days_run_and_takes_stock()
    {
        var day = DateOnly.FromDateTime(DateTime.UtcNow);
        await PlatformSyncHandler.ScheduleAsync(_t.Get<WorkOutbox>(), _t.TenantId, day, new PowerPlatformOptions(), default);

        await _t.RunOutboxItemAsync(PlatformSyncHandler.DailyId(_t.TenantId, day));

        var next = await _t.Get<IDueWorkStore>().GetStatusAsync(PlatformSyncHandler.DailyId(_t.TenantId, day.AddDays(1)));
        Assert.Equal(DueWorkState.Pending, next?.State);
        Assert.Equal(new DateTimeOffset(day.AddDays(1).ToDateTime(new TimeOnly(2, 0)), TimeSpan.Zero), next!.Item!.DueAt);
        Assert.Equal(40, (await _t.Get<InventoryStore>().SolutionsAsync(_t.TenantId, default)).Count);
    }

    [Fact]
    public async Task An_environment_whose_Dataverse_refuses_the_bot_loses_only_its_agents_for_that_sync()
    {
        _t.Platform.DenyDataverse(PlatformTenant.Production);

        await _t.SyncAsync();

        var solutions = await _t.Get<InventoryStore>().SolutionsAsync(_t.TenantId, default);
        Assert.Equal(39, solutions.Count);
        Assert.DoesNotContain(solutions, s => s.Solution.Id == PlatformTenant.HrAgent);
        Assert.Single(OwnerCardsTo(TeamsUser.Maker), c => c.Body.Contains("Expense tracker", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_owner_registers_from_the_card_with_intake_prefilled_and_the_request_lands_in_Tier_3_linked_to_the_app()
    {
        await _t.SyncAsync();

        var first = await _t.Bot.SubmitAsync(new JsonObject { [OwnerCard.RegisterKey] = Key(SolutionKind.App, PlatformTenant.Default, PlatformTenant.ExpenseApp) });
        Assert.Contains(first, a => a.Text?.Contains("Let's register Expense tracker", StringComparison.Ordinal) == true);
        // Name, platform, environment, audience, users and data sources come from the facts; the maker confirms each.
        foreach (var answer in new[] { "yes", "Track team expenses", "yes", "yes", "yes", "yes", "yes", "Internal", "None", "2" })
        {
            await _t.Bot.SayAsync(answer);
        }

        var summary = await _t.SayAsync("confirm");
        var request = Assert.Single(await _t.Get<IRequestStore>().ListByMakerAsync(_t.TenantId, TeamsUser.Maker.Id, 5));
        Assert.Contains($"Submitted: {request.Id}", summary, StringComparison.Ordinal);
        Assert.Equal(3, request.Tier);
        Assert.Equal(("Expense tracker", Audience.SeveralDepartments, 130), (request.Title, request.Answers.Audience, request.Answers.ExpectedUsers));
        Assert.Equal(["sharepoint", "sql-server"], request.Answers.DataSources);
        Assert.Equal((PlatformTenant.Default, "Contoso (default)"), (request.Answers.Environment, request.Answers.EnvironmentName));
        Assert.Equal(request.Id, await _t.Get<SolutionLinks>().FindRequestAsync(_t.TenantId, SolutionKind.App, PlatformTenant.Default, PlatformTenant.ExpenseApp, default));

        // Registered: the next sync no longer counts it as ungoverned.
        await _t.SyncAsync();
        var ungoverned = await _t.SayAsync("portfolio ungoverned", PlatformTenant.Admin);
        Assert.DoesNotContain("Expense tracker", ungoverned, StringComparison.Ordinal);
        Assert.Contains("HR helper", ungoverned, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_owner_with_no_chat_with_the_bot_is_listed_for_the_CoE()
    {
        await _t.SyncAsync();

        var ungoverned = await _t.SayAsync("portfolio ungoverned", PlatformTenant.Admin);

        Assert.Contains("Invoice sync", ungoverned, StringComparison.Ordinal);
        Assert.Contains("no chat with the bot", ungoverned, StringComparison.Ordinal);
        Assert.Contains("HTTP", ungoverned, StringComparison.Ordinal);
        Assert.DoesNotContain("Brand new launch", ungoverned, StringComparison.Ordinal);
        Assert.Contains("Only CoE admins", await _t.SayAsync("portfolio ungoverned"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_owner_links_the_found_app_to_a_request_already_filed_from_the_card()
    {
        var filed = await _t.InUseRequestAsync("Expenses");
        await _t.SyncAsync();

        var replies = await _t.Bot.SubmitAsync(new JsonObject
        {
            [OwnerCard.LinkKey] = Key(SolutionKind.App, PlatformTenant.Default, PlatformTenant.ExpenseApp),
            [OwnerCard.RequestInputKey] = filed.Id,
        });

        Assert.Contains(replies, a => a.Text?.StartsWith($"Linked: {filed.Id}", StringComparison.Ordinal) == true);
        Assert.Equal(filed.Id, await _t.Get<SolutionLinks>().FindRequestAsync(_t.TenantId, SolutionKind.App, PlatformTenant.Default, PlatformTenant.ExpenseApp, default));
        // The flow is someone else's: its card's buttons do nothing for this maker.
        var notMine = await _t.Bot.SubmitAsync(new JsonObject { [OwnerCard.RegisterKey] = Key(SolutionKind.Flow, PlatformTenant.Default, PlatformTenant.InvoiceFlow) });
        Assert.Contains(notMine, a => a.Text?.Contains("no longer find under your name", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task The_owners_card_proposes_their_request_named_like_the_app_and_one_click_links_them()
    {
        var filed = await _t.InUseRequestAsync("Expenses");
        var other = await _t.InUseRequestAsync("Holiday planner");

        await _t.SyncAsync();

        var card = Assert.Single(OwnerCardsTo(TeamsUser.Maker), c => c.Body.Contains("Expense tracker", StringComparison.Ordinal));
        Assert.DoesNotContain(other.Title, card.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(": link them", Assert.Single(OwnerCardsTo(TeamsUser.Maker), c => c.Body.Contains("HR helper", StringComparison.Ordinal)).Body, StringComparison.Ordinal);
        var proposal = ((JsonObject)card.Activity!.Attachments![0].Content!)["actions"]!.AsArray()
            .Single(a => (string?)a!["title"] == $"It is {filed.Id}: link them")!["data"]!.AsObject();

        var replies = await _t.Bot.SubmitAsync((JsonObject)proposal.DeepClone());

        Assert.Contains(replies, a => a.Text?.StartsWith($"Linked: {filed.Id}", StringComparison.Ordinal) == true);
        Assert.Equal(filed.Id, await _t.Get<SolutionLinks>().FindRequestAsync(_t.TenantId, SolutionKind.App, PlatformTenant.Default, PlatformTenant.ExpenseApp, default));
        await AdaptiveCardValidator.AssertValidAsync([.. _t.Bot.CardsSent()]);
    }

    [Fact]
    public async Task The_digest_counts_the_solutions_found_unregistered_this_week_and_those_registered_since()
    {
        var rota = await _t.InUseRequestAsync("Team rota");
        await _t.SayAsync($"link {rota.Id} app {PlatformTenant.RotaApp} in {PlatformTenant.Default}");
        await _t.SyncAsync();
        var expenses = await _t.InUseRequestAsync("Expenses");
        await _t.SayAsync($"link {expenses.Id} app {PlatformTenant.ExpenseApp} in {PlatformTenant.Default}");
        await _t.SyncAsync();
        await _t.SyncAsync();

        var preview = await _t.SayAsync("digest preview", PlatformTenant.Admin);

        // 40 in the tenant, the rota app linked before it was found; the expense app registered after.
        Assert.Contains("39 unregistered solutions found this week, 1 registered since", preview, StringComparison.Ordinal);
        await AdaptiveCardValidator.AssertValidAsync([.. _t.Bot.CardsSent()]);
    }

    [Fact]
    public async Task A_linked_app_shared_with_130_people_instead_of_20_has_its_periodic_review_asked_at_once_with_the_facts()
    {
        var request = await _t.InUseRequestAsync("Team rota");
        Assert.Contains("Linked", await _t.SayAsync($"link {request.Id} app {PlatformTenant.RotaApp} in {PlatformTenant.Default}"), StringComparison.Ordinal);
        await _t.SyncAsync();
        Assert.Null(await _t.Get<IDueWorkStore>().GetStatusAsync($"{PortfolioReviews.AskId(request.Id, 1)}:shared-50"));

        _t.Platform.ShareApp(PlatformTenant.Default, PlatformTenant.RotaApp, sharedUsers: 130);
        await _t.SyncAsync();
        await _t.SyncAsync();

        var reviewCards = _t.Bot.CardsSent().Where(c => c.ToJsonString().Contains(PortfolioReviewCard.RequestKey, StringComparison.Ordinal)).ToList();
        var card = Assert.Single(reviewCards).ToJsonString();
        Assert.Contains("now shared with 130 people and groups, was 20", card, StringComparison.Ordinal);
        var asked = (await _t.Get<IRequestStore>().GetAsync(_t.TenantId, request.Id))!;
        Assert.Equal(1, asked.PortfolioCheck?.Round);
        Assert.Null(asked.PortfolioCheck?.AnsweredAt);
        var history = await _t.Get<RequestWorkflow>().HistoryAsync(asked, default);
        Assert.Single(history, e => e.Action == RequestActions.SolutionGrew && e.Comment!.Contains("was 20", StringComparison.Ordinal));
        await AdaptiveCardValidator.AssertValidAsync([.. _t.Bot.CardsSent()]);
    }
}

public sealed class PlatformInventoryOnSqliteTests : PlatformInventoryTests
{
    protected override AzuriteTableServer? TableStorage => null;
}

public sealed class PlatformInventoryOnTableStorageTests(AzuriteFixture azurite) : PlatformInventoryTests, IClassFixture<AzuriteFixture>
{
    protected override AzuriteTableServer? TableStorage => azurite.Server;
}
