using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using FusionBot.Features.Inventory;
using FusionBot.Features.Portfolio;
using FusionBot.Features.Privacy;
using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.PowerPlatform;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.Storage.Rows;
using FusionBot.TestKit;
using FusionBot.TestKit.Azurite;
using FusionBot.TestKit.Cards;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace FusionBot.FunctionalTests.Privacy;

/// <summary>
/// <c>privacy export</c> and <c>privacy erase</c> over HTTP into /api/messages, on each store: a maker who went through
/// intake, subscribed to the digest, acknowledged the guidelines, opened and used a component and left a dialog open
/// is exported whole through a single-use link, then erased; afterwards no stored row names them or holds their ids,
/// while their request and its history still count under a pseudonym.
/// </summary>
public abstract class PrivacyCommandTests : IAsyncLifetime
{
    private const string AdminAad = "c3333333-3333-3333-3333-333333333333";
    private static readonly TeamsUser Admin = new("29:privacy-admin", "Ada Admin", AdminAad);
    private static readonly TeamsUser Maker = new("29:privacy-maker-7f3a", "Priya Pseudonymia", "d4e5f6a7-1111-4222-8333-944455556666");
    private static readonly TeamsUser Other = new("29:privacy-other-1b2c", "Olaf Otherperson", "e5f6a7b8-1111-4222-8333-944455556666");

    private readonly string _sqlitePath = Path.Combine(Path.GetTempPath(), $"fusionbot-privacy-{Guid.NewGuid():N}.db");
    private readonly string _tablePrefix = AzuriteTableServer.NewTablePrefix();
    private BotHost? _bot;

    protected abstract AzuriteTableServer? TableStorage { get; }

    private BotHost Bot => _bot ?? throw new InvalidOperationException("Not started.");

    private string Tenant => Bot.Activities.TenantId;

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Governance:AdminIds:0"] = AdminAad,
            ["Links:SigningKey"] = Convert.ToBase64String(Enumerable.Range(1, 48).Select(i => (byte)i).ToArray()),
            ["Links:PublicBaseUrl"] = "https://fusionbot.example/",
        };
        if (TableStorage is null)
        {
            settings["Storage:EmbeddedPath"] = _sqlitePath;
        }
        else
        {
            settings["Storage:TablePrefix"] = _tablePrefix;
        }

        _bot = await BotHost.StartAsync(TableStorage, settings);
    }

    public async Task DisposeAsync()
    {
        if (_bot is not null)
        {
            await _bot.DisposeAsync();
        }

        foreach (var file in new[] { _sqlitePath, _sqlitePath + "-wal", _sqlitePath + "-shm" })
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task An_admin_exports_a_person_once_then_erases_them_and_nothing_identifying_remains_while_the_figures_stay()
    {
        var requestId = await SeedMakerAsync();
        await Bot.SayAsync("hello", Admin);
        // The time zone Teams reports is kept with the maker's 1:1 reference: exported with it, erased with it.
        await Bot.TurnAsync(TeamsActivityBuilder.WithClientInfo(Bot.Activities.PersonalMessage("my requests", Maker), "Asia/Kolkata"));

        // Export: queued, prepared by the outbox, linked to the admin.
        Assert.Contains("download link", Text(await Bot.SayAsync($"privacy export {Maker.AadObjectId}", Admin)), StringComparison.Ordinal);
        var link = await LinkSentToAdminAsync();
        using var client = Bot.CreateClient();
        using var download = await client.GetAsync(link.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/json", download.Content.Headers.ContentType!.MediaType);
        var export = JsonNode.Parse(await download.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(Maker.Id, export["teamsUserId"]!.GetValue<string>());
        var kinds = export["records"]!.AsArray().Select(r => r!["kind"]!.GetValue<string>()).ToHashSet();
        Assert.Superset(new HashSet<string>
        {
            "conversationReferences", "dialogState", "digestSubscription", "guidelineAcknowledgement", "componentOpens", "requestsPerDay",
            "platformSolutions", "platformAsks", "solutionLinks",
        }, kinds);
        Assert.Contains(export["records"]!.AsArray(), r => r!["kind"]!.GetValue<string>() == "conversationReferences"
            && r.ToJsonString().Contains("Asia/Kolkata", StringComparison.Ordinal));
        Assert.Single(export["componentUses"]!.AsArray());
        var request = Assert.Single(export["requests"]!.AsArray())!;
        Assert.Equal((requestId, "maker"), (request["id"]!.GetValue<string>(), request["role"]!.GetValue<string>()));
        Assert.Contains(request["history"]!.AsArray(), e => e!["action"]!.GetValue<string>() == RequestActions.SelfCertified);
        Assert.DoesNotContain(Other.Name, export.ToJsonString(), StringComparison.Ordinal);

        using var replay = await client.GetAsync(link.PathAndQuery);
        Assert.Equal(HttpStatusCode.Gone, replay.StatusCode);

        // Erase: a confirm card, then the outbox does it and tells the admin.
        var historyBefore = await Bot.Services.GetRequiredService<IRequestHistoryStore>().ListAsync(requestId);
        var confirm = Assert.Single(await Bot.SayAsync($"privacy erase {Maker.AadObjectId}", Admin)).Attachments![0].Content!.AsObject();
        var erase = confirm["actions"]![0]!["data"]!.AsObject();
        Assert.Contains("Erasing", Text(await Bot.SubmitAsync(erase.DeepClone().AsObject(), Admin)), StringComparison.Ordinal);
        var erased = new ErasedPerson(Tenant, Maker.Id, Maker.AadObjectId).Pseudonym;
        await ErasedAsync(Bot, erased, erase);
        Assert.Contains(Bot.Connector.Calls, c => c.Activity?.Text?.StartsWith("Erased:", StringComparison.Ordinal) == true
            && c.ConversationId == Bot.Activities.PersonalConversation(Admin).Id);

        var everything = await StoredRows.AllAsync(TableStorage, _sqlitePath, _tablePrefix);
        string[] identifying = [Maker.Id, Maker.AadObjectId, Maker.Name, Bot.Activities.PersonalConversation(Maker).Id!, "Asia/Kolkata"];
        var left = everything.Where(row => identifying.Any(id => row.Contains(id, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(left.Count == 0, "Still stored:\n" + string.Join("\n", left));

        // The other person's records and the figures stay: the request counts under the pseudonym, every event kept.
        Assert.Contains(everything, row => row.Contains(Other.Name, StringComparison.Ordinal));
        var stored = Assert.Single(await Bot.Services.GetRequiredService<IRequestStore>().ListByMakerAsync(Tenant, erased.Id, 10));
        Assert.Equal((requestId, RequestStatus.SelfCertified, erased), (stored.Id, stored.Status, stored.Maker));
        var historyAfter = await Bot.Services.GetRequiredService<IRequestHistoryStore>().ListAsync(requestId);
        Assert.Equal(historyBefore.Select(e => e.Action).Append(RequestActions.PersonalDataErased), historyAfter.Select(e => e.Action));
        var record = historyAfter[^1];
        Assert.Equal(AdminAad, record.Actor.AadObjectId);
        var log = Assert.Single(await Bot.Services.GetRequiredService<PrivacyRecords>().ListErasuresAsync(Tenant, CancellationToken.None));
        Assert.Equal((erased.Id, AdminAad, 1), (log.Pseudonym, log.ErasedBy.AadObjectId, log.Requests));
        await AdaptiveCardValidator.AssertValidAsync([.. Bot.CardsSent()]);
    }

    [Fact]
    public async Task A_non_admin_can_neither_export_nor_erase_and_a_link_is_bound_to_its_tenant()
    {
        await SeedMakerAsync();

        Assert.Contains("Only CoE admins", Text(await Bot.SayAsync($"privacy export {Maker.AadObjectId}", Other)), StringComparison.Ordinal);
        Assert.Contains("Only CoE admins", Text(await Bot.SayAsync($"privacy erase {Maker.AadObjectId}", Other)), StringComparison.Ordinal);
        // A confirm card's data sent by someone else (forwarded, or forged) erases nothing.
        var forged = new JsonObject { [PrivacyCommands.EraseKey] = Maker.AadObjectId, [PrivacyCommands.NonceKey] = "forged" };
        Assert.Contains("Only CoE admins", Text(await Bot.SubmitAsync(forged, Other)), StringComparison.Ordinal);
        await CrashPlan.DrainOutboxAsync(Bot);
        Assert.NotNull(await Bot.Services.GetRequiredService<IConversationReferenceStore>().GetForUserAsync(Tenant, Maker.AadObjectId, Maker.Id));

        await Bot.SayAsync($"privacy export {Maker.AadObjectId}", Admin);
        var link = await LinkSentToAdminAsync();
        using var client = Bot.CreateClient();
        var otherTenant = link.PathAndQuery.Replace($"tenant={Tenant}", "tenant=11111111-2222-3333-4444-555555555555", StringComparison.Ordinal);
        Assert.NotEqual(link.PathAndQuery, otherTenant);
        using var moved = await client.GetAsync(otherTenant);
        Assert.Equal(HttpStatusCode.Forbidden, moved.StatusCode);
        using var unsigned = await client.GetAsync(link.AbsolutePath + "?tenant=" + Tenant);
        Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
        // The genuine link still works once: the refused attempts did not use it up.
        using var genuine = await client.GetAsync(link.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
    }

    /// <summary>The maker's whole footprint: a self-certified request, a digest subscription, an acknowledgement, an open and a use, an unfinished dialog.</summary>
    private async Task<string> SeedMakerAsync()
    {
        foreach (var text in new[] { "new request", "Seed ledger", "Track the seed budget", "Power Apps", "My team", "8", "none", "Internal", "None", "skip", "confirm" })
        {
            Assert.NotEmpty(await Bot.SayAsync(text, Maker));
        }

        var requestId = Assert.Single(await Bot.Services.GetRequiredService<IRequestStore>().ListByMakerAsync(Tenant, Maker.Id, 10)).Id;
        await Bot.SubmitAsync(new JsonObject
        {
            ["selfCertify"] = requestId, ["dataInTeam"] = "true", ["sharedWithTeam"] = "true", ["noSensitiveData"] = "true", ["ownersNamed"] = "true",
        }, Maker);
        await Bot.SayAsync("subscribe digest", Maker);
        await Bot.SayAsync("subscribe digest", Other);
        await Bot.SayAsync("new request", Maker);

        var person = new Person(Maker.Id, Maker.AadObjectId, Maker.Name);
        var catalogue = Bot.Services.GetRequiredService<IComponentCatalogueStore>();
        await catalogue.AddAsync(Tenant, new CatalogueComponent
        {
            Id = "approval flow", Name = "Approval flow", Description = "Approvals", Tags = ["approval"], Tiers = [1, 2],
            Link = new Uri("https://components.example/approval"), Owner = "CoE", AddedBy = new Person(Admin.Id, AdminAad, Admin.Name),
            AddedAt = DateTimeOffset.UtcNow,
        });
        await catalogue.RecordOpenAsync(Tenant, new ComponentOpen("approval flow", Maker.AadObjectId, DateTimeOffset.UtcNow));
        await catalogue.RecordOpenAsync(Tenant, new ComponentOpen("approval flow", Other.AadObjectId, DateTimeOffset.UtcNow));
        await catalogue.RecordUseAsync(Tenant, new ComponentUse("approval flow", requestId, person, DateTimeOffset.UtcNow));
        await Bot.Services.GetRequiredService<IGuidelineAcknowledgementStore>().RecordAsync(Tenant, new GuidelineAcknowledgement(person, DateTimeOffset.UtcNow));

        // The inventory found an app the maker owns and asked them about it; they linked another to their request; the
        // tenant's portfolio CSV (which names makers) was prepared.
        var inventory = Bot.Services.GetRequiredService<InventoryStore>();
        var owned = new PlatformSolution
        {
            Kind = SolutionKind.App, EnvironmentName = "Default-privacy", Id = "a1b2c3d4-0000-4000-8000-000000000001", DisplayName = "Seed tracker",
            OwnerObjectId = Maker.AadObjectId, OwnerName = Maker.Name,
        };
        await inventory.SaveSolutionAsync(Tenant, new SolutionRecord(owned, ["unregistered"], null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow), CancellationToken.None);
        await inventory.SaveSolutionAsync(Tenant, new SolutionRecord(owned with { Id = "a1b2c3d4-0000-4000-8000-000000000002", OwnerObjectId = Other.AadObjectId, OwnerName = Other.Name },
            [], null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow), CancellationToken.None);
        await inventory.SaveAskAsync(Tenant, InventoryStore.Key(owned), new OwnerAsk(DateTimeOffset.UtcNow, true, Maker.AadObjectId), CancellationToken.None);
        Assert.Equal(LinkResult.Linked, (await Bot.Services.GetRequiredService<SolutionLinks>().LinkAsync(Tenant, requestId,
            new SolutionLink(SolutionKind.Flow, "Default-privacy", "f1f2f3f4-0000-4000-8000-000000000003", "Seed flow"), person, CancellationToken.None)).Result);
        await Bot.Services.GetRequiredService<PortfolioExports>().PrepareAsync(Tenant, CancellationToken.None);
        await CrashPlan.DrainOutboxAsync(Bot);
        return requestId;
    }

    private async Task<Uri> LinkSentToAdminAsync()
    {
        var adminChat = Bot.Activities.PersonalConversation(Admin).Id;
        IEnumerable<RecordedCall> Links() => Bot.Connector.Calls.Where(c => c.ConversationId == adminChat && c.Activity?.Summary == "Personal data export");
        await WhenAsync(() => Links().Any(), "the export link sent to the admin");
        var card = Links().Select(c => c.Activity!.Attachments![0].Content!.AsObject()).Last();
        var url = new Uri(card["actions"]![0]!["url"]!.GetValue<string>());
        Assert.Equal("fusionbot.example", url.Host);
        return url;
    }

    /// <summary>
    /// Waits until the erasure the confirm card's <paramref name="erase"/> data queued is completed (its outbox item, whose
    /// payload names the person until then, done and gone from the due rows).
    /// </summary>
    internal static async Task ErasedAsync(BotHost bot, Person pseudonym, JsonObject erase)
    {
        var itemId = $"{PrivacyEraseHandler.Kind}:{bot.Activities.TenantId}:{pseudonym.Id}:{erase[PrivacyCommands.NonceKey]!.GetValue<string>()}";
        var dueWork = bot.Services.GetRequiredService<IDueWorkStore>();
        await Digest.DigestTestData.WaitUntilAsync(async () =>
        {
            await CrashPlan.DrainOutboxAsync(bot);
            var due = await bot.Services.GetRequiredService<ITableRowStore>().QueryAsync(StorageTables.DueWork, "due", RowKeyRange.All, 1000);
            return (await dueWork.GetStatusAsync(itemId))?.State == DueWorkState.Completed && !due.Any(r => r.RowKey.EndsWith(itemId, StringComparison.Ordinal));
        }, TimeSpan.FromSeconds(60), () => $"the erasure {itemId} was not completed");
    }

    /// <summary>Runs the outbox (the background worker may hold an item meanwhile) until <paramref name="done"/>.</summary>
    private async Task WhenAsync(Func<bool> done, string what) =>
        await Digest.DigestTestData.WaitUntilAsync(async () =>
        {
            await CrashPlan.DrainOutboxAsync(Bot);
            return done();
        }, TimeSpan.FromSeconds(60), () => $"Waited in vain for {what}. Sent:\n" + string.Join("\n", Bot.Connector.Calls.Select(c => $"{c.ConversationId}: {c.Activity?.Summary} {c.Activity?.Text}")));

    private static string Text(IReadOnlyList<Activity> replies) => string.Join("\n", replies.Select(r => r.Text));
}

public sealed class PrivacyCommandOnSqliteTests : PrivacyCommandTests
{
    protected override AzuriteTableServer? TableStorage => null;
}

public sealed class PrivacyCommandOnTableStorageTests(AzuriteFixture azurite) : PrivacyCommandTests, IClassFixture<AzuriteFixture>
{
    protected override AzuriteTableServer? TableStorage => azurite.Server;
}

/// <summary>
/// A reviewer who only ever acted in a review channel (no 1:1 chat with the bot) is found by the requests they took a
/// step on and erased from them: the request, its history and the channel's stored address no longer name them.
/// </summary>
public abstract class ReviewerErasureTests : IAsyncLifetime
{
    private readonly string _sqlitePath = Path.Combine(Path.GetTempPath(), $"fusionbot-privacy-reviewer-{Guid.NewGuid():N}.db");
    private readonly string _tablePrefix = AzuriteTableServer.NewTablePrefix();
    private Review.ReviewHarness? _harness;

    protected abstract AzuriteTableServer? TableStorage { get; }

    private Review.ReviewHarness H => _harness ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync() => _harness = await Review.ReviewHarness.StartAsync(
        new Dictionary<string, string?>
        {
            [TableStorage is null ? "Storage:EmbeddedPath" : "Storage:TablePrefix"] = TableStorage is null ? _sqlitePath : _tablePrefix,
            ["Requests:SettleDelay"] = "00:00:00",
        },
        TableStorage);

    public async Task DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }

        foreach (var file in new[] { _sqlitePath, _sqlitePath + "-wal", _sqlitePath + "-shm" })
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_reviewer_known_only_from_a_channel_is_pseudonymised_in_the_requests_they_decided()
    {
        var reviewer = TeamsUser.Reviewer;
        await H.RegisterAsync(2, Review.ReviewHarness.Tier2Channel);
        var id = await H.SubmitAsync(2);
        await H.PostedAsync(id);
        await H.ClickAsync("review.approve", id, reviewer);
        await H.MakerToldAsync("approved");
        await H.Bot.SayAsync("hello", Review.ReviewHarness.Admin);

        var confirm = Assert.Single(await H.Bot.SayAsync($"privacy erase {reviewer.AadObjectId}", Review.ReviewHarness.Admin)).Attachments![0].Content!.AsObject();
        var erase = confirm["actions"]![0]!["data"]!.AsObject();
        await H.Bot.SubmitAsync(erase.DeepClone().AsObject(), Review.ReviewHarness.Admin);
        // Known only by the id typed (no 1:1 chat), so that id stands for them in the pseudonym.
        var pseudonym = new ErasedPerson(H.Bot.Activities.TenantId, reviewer.AadObjectId, reviewer.AadObjectId).Pseudonym;
        await PrivacyCommandTests.ErasedAsync(H.Bot, pseudonym, erase);

        var request = await H.RequestAsync(id);
        Assert.Equal((RequestStatus.Approved, TeamsUser.Maker.Id), (request.Status, request.Maker.Id));
        Assert.StartsWith("erased-", request.Reviewer!.Id, StringComparison.Ordinal);
        var approved = Assert.Single(await H.HistoryAsync(id), e => e.Action == RequestActions.Approved);
        Assert.Equal(request.Reviewer, approved.Actor);
        var everything = await StoredRows.AllAsync(TableStorage, _sqlitePath, _tablePrefix);
        string[] identifying = [reviewer.Id, reviewer.AadObjectId, reviewer.Name];
        var left = everything.Where(row => identifying.Any(value => row.Contains(value, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(left.Count == 0, "Still stored:\n" + string.Join("\n", left));
        Assert.Contains(everything, row => row.Contains(TeamsUser.Maker.Name, StringComparison.Ordinal));
    }
}

public sealed class ReviewerErasureOnSqliteTests : ReviewerErasureTests
{
    protected override AzuriteTableServer? TableStorage => null;
}

public sealed class ReviewerErasureOnTableStorageTests(AzuriteFixture azurite) : ReviewerErasureTests, IClassFixture<AzuriteFixture>
{
    protected override AzuriteTableServer? TableStorage => azurite.Server;
}

/// <summary>Every row of every table, as stored (keys and data), read from the store itself rather than through the bot.</summary>
internal static class StoredRows
{
    public static async Task<List<string>> AllAsync(AzuriteTableServer? tableStorage, string sqlitePath, string tablePrefix)
    {
        var rows = new List<string>();
        if (tableStorage is null)
        {
            await using var connection = new SqliteConnection($"Data Source={sqlitePath}");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT tbl || ' ' || pk || ' ' || rk || ' ' || data FROM rows";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(reader.GetString(0));
            }

            return rows;
        }

        var service = new TableServiceClient(tableStorage.ConnectionString);
        foreach (var table in StorageTables.All)
        {
            await foreach (var entity in service.GetTableClient(tablePrefix + table).QueryAsync<TableEntity>())
            {
                rows.Add(table + " " + string.Join(' ', entity.Select(p => p.Value?.ToString())));
            }
        }

        return rows;
    }
}
