using System.Text.Json;
using System.Text.Json.Nodes;
using FusionBot.Features.Components;
using FusionBot.Features.Outbox;
using FusionBot.Features.Portfolio;
using FusionBot.FunctionalTests.Infrastructure;
using FusionBot.FunctionalTests.Privacy;
using FusionBot.FunctionalTests.Review;
using FusionBot.Requests;
using FusionBot.Retention;
using FusionBot.Storage;
using FusionBot.Storage.Rows;
using FusionBot.Tests.Oracles;
using FusionBot.TestKit;
using FusionBot.TestKit.Azurite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FusionBot.FunctionalTests.Retention;

/// <summary>
/// <c>Retention:Requests</c> on each store: a request decided over HTTP (card click), linked to a solution and marked as
/// using a component is deleted by the daily run once it has been final for longer than the setting, with every row
/// about it in every table, while a request still in review and the same request before its time stay; the portfolio
/// then shows what the old calculation over the remaining requests shows.
/// </summary>
public abstract class RequestRetentionTests : IAsyncLifetime
{
    private static readonly RetentionOptions Settings = new() { Requests = TimeSpan.FromDays(30) };
    private readonly string _sqlitePath = Path.Combine(Path.GetTempPath(), $"fusionbot-request-retention-{Guid.NewGuid():N}.db");
    private readonly string _tablePrefix = AzuriteTableServer.NewTablePrefix();
    private ReviewHarness? _harness;

    protected abstract AzuriteTableServer? TableStorage { get; }

    private ReviewHarness H => _harness ?? throw new InvalidOperationException("Not started.");

    private string Tenant => H.Bot.Activities.TenantId;

    public async Task InitializeAsync() => _harness = await ReviewHarness.StartAsync(
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

    private T Get<T>()
        where T : notnull => H.Bot.Services.GetRequiredService<T>();

    [Fact]
    public async Task A_request_final_for_longer_than_the_setting_goes_with_every_row_about_it_and_the_portfolio_stays_consistent()
    {
        var decided = await SeedDecidedAsync();
        var inReview = await H.SubmitAsync(2, "Still in review");
        await H.PostedAsync(inReview);
        await Get<PortfolioExports>().PrepareAsync(Tenant, CancellationToken.None);
        await CrashPlan.DrainOutboxAsync(H.Bot);
        var reviewHistory = await H.HistoryAsync(inReview);
        Assert.Contains(await StoredRows.AllAsync(TableStorage, _sqlitePath, _tablePrefix), row => Table(row) == "solutionlinks" && row.Contains(decided, StringComparison.Ordinal));

        // Final for 20 days: younger than the 30 the setting keeps.
        await RunAsync(DateTimeOffset.UtcNow.AddDays(20));
        Assert.Equal(RequestStatus.Approved, (await H.RequestAsync(decided)).Status);

        await RunAsync(DateTimeOffset.UtcNow.AddDays(40));

        Assert.Null(await H.Requests.GetAsync(Tenant, decided));
        Assert.Empty(await H.HistoryAsync(decided));
        // Finished outbox records keep their own retention (Retention:OutboxRecords); nothing else may name the request.
        var left = await RowsNamingAsync(decided);
        Assert.True(left.Count == 0, "Still stored:\n" + string.Join("\n", left));

        var kept = await H.RequestAsync(inReview);
        Assert.Equal(RequestStatus.PendingReview, kept.Status);
        Assert.Equal(reviewHistory.Select(e => e.Id), (await H.HistoryAsync(inReview)).Select(e => e.Id));
        Assert.Equal([inReview], (await H.Requests.ListByMakerAsync(Tenant, TeamsUser.Maker.Id, 10)).Select(r => r.Id));

        // The totals no longer count it: the figures are those of the requests that are left, read twice (deltas, then folded).
        for (var read = 0; read < 2; read++)
        {
            var now = DateTimeOffset.UtcNow;
            var expected = PortfolioOracle.Calculate(
                await PortfolioOracle.LoadAsync(H.Requests, Get<IRequestHistoryStore>(), Tenant), now, Get<IOptions<PortfolioOptions>>().Value.ReviewGrace);
            var actual = await Get<PortfolioReader>().ReadAsync(Tenant, null, now, CancellationToken.None);
            Assert.Equal(JsonSerializer.Serialize(expected with { HoursSavedPerMonth = Math.Round(expected.HoursSavedPerMonth, 6) }),
                JsonSerializer.Serialize(actual with { HoursSavedPerMonth = Math.Round(actual.HoursSavedPerMonth, 6) }));
            Assert.Equal(1, actual.Total);
        }

        // The link's solution is free for another request.
        Assert.Contains("Linked:", string.Join("\n", (await H.Bot.SayAsync($"link {inReview} solution ContosoExpenses")).Select(a => a.Text)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_purge_that_dies_after_the_request_is_deleted_is_finished_by_the_next_run()
    {
        var decided = await SeedDecidedAsync();
        await CrashPlan.DrainOutboxAsync(H.Bot);
        var rows = Get<ITableRowStore>();
        var dying = new RequestRetention(new DiesAtPersonIndex(rows), H.Requests, Get<IRequestHistoryStore>(), Get<IDueWorkStore>(),
            Get<IChannelRoutingStore>(), Get<IComponentCatalogueStore>(), new PersonRequestIndex(new DiesAtPersonIndex(rows)),
            new RequestIndexWriter(rows), Get<RequestIndexBackfill>(), []);

        await Assert.ThrowsAsync<SimulatedCrashException>(() => dying.PurgeAsync(DateTimeOffset.UtcNow.AddDays(10), 100, CancellationToken.None));

        // The request and its share of the figures went together; its history and the rest wait for the note.
        Assert.Null(await H.Requests.GetAsync(Tenant, decided));
        Assert.Equal(0, (await Get<PortfolioReader>().ReadAsync(Tenant, null, DateTimeOffset.UtcNow, CancellationToken.None)).Total);
        Assert.NotEmpty(await H.HistoryAsync(decided));

        await RunAsync(DateTimeOffset.UtcNow.AddDays(1));

        var left = await RowsNamingAsync(decided);
        Assert.True(left.Count == 0, "Still stored:\n" + string.Join("\n", left));
    }

    /// <summary>A Tier 2 request approved over HTTP, linked to a solution by an admin and marked as using a component.</summary>
    private async Task<string> SeedDecidedAsync()
    {
        await H.RegisterAsync(2, ReviewHarness.Tier2Channel);
        var decided = await H.SubmitAsync(2, "Decided long ago");
        await H.PostedAsync(decided);
        await H.ClickAsync("review.approve", decided, TeamsUser.Reviewer);
        await H.MakerToldAsync("approved");
        await H.Bot.SayAsync("hello", ReviewHarness.Admin);
        await H.Bot.SayAsync($"link {decided} solution ContosoExpenses", ReviewHarness.Admin);
        await Get<IComponentCatalogueStore>().AddAsync(Tenant, new CatalogueComponent
        {
            Id = "approval flow", Name = "Approval flow", Description = "Approvals", Tags = ["approval"], Tiers = [1, 2],
            Link = new Uri("https://components.example/approval"), Owner = "CoE", AddedBy = new Person(ReviewHarness.Admin.Id, ReviewHarness.Admin.AadObjectId, ReviewHarness.Admin.Name),
            AddedAt = DateTimeOffset.UtcNow,
        });
        // The maker presses "Using this" on a suggested component.
        var noted = await H.Bot.SubmitAsync(new JsonObject { [ComponentCards.UseKey] = "approval flow", [ComponentCards.RequestKey] = decided });
        Assert.Contains("Noted:", string.Join("\n", noted.Select(a => a.Text)), StringComparison.Ordinal);
        return decided;
    }

    /// <summary>The left-overs of <paramref name="requestId"/> in every table but the finished outbox records.</summary>
    private async Task<List<string>> RowsNamingAsync(string requestId) =>
        [.. (await StoredRows.AllAsync(TableStorage, _sqlitePath, _tablePrefix)).Where(row => row.Contains(requestId, StringComparison.Ordinal) && Table(row) != "duework")];

    /// <summary>The logical table a stored row is in (SQLite names it with the table prefix).</summary>
    private static string Table(string row)
    {
        var table = row[..row.IndexOf(' ', StringComparison.Ordinal)];
        return table.StartsWith("fusionbot", StringComparison.Ordinal) ? table["fusionbot".Length..] : table;
    }

    private async Task RunAsync(DateTimeOffset at)
    {
        var clock = new FakeTimeProvider(at);
        var day = DateOnly.FromDateTime(at.UtcDateTime);
        var handler = new RetentionRunHandler(Get<IProcessedActivityStore>(), Get<IDueWorkStore>(), Get<IDialogStateStore>(), Get<IComponentCatalogueStore>(),
            Get<RequestRetention>(), new WorkOutbox(Get<IDueWorkStore>(), new OutboxSignal(), clock), Options.Create(Settings), clock,
            NullLogger<RetentionRunHandler>.Instance);
        await handler.HandleAsync(new DueWorkItem
        {
            Id = RetentionRunHandler.RunId(day, 0),
            Kind = RetentionRunHandler.RunKind,
            DueAt = at,
            Payload = JsonSerializer.Serialize(new RetentionRunPayload(day, 0), WorkOutbox.PayloadJson),
        }, CancellationToken.None);
    }
}

public sealed class RequestRetentionOnSqliteTests : RequestRetentionTests
{
    protected override AzuriteTableServer? TableStorage => null;
}

public sealed class RequestRetentionOnTableStorageTests(AzuriteFixture azurite) : RequestRetentionTests, IClassFixture<AzuriteFixture>
{
    protected override AzuriteTableServer? TableStorage => azurite.Server;
}

/// <summary>A store whose process "exits" at the first deletion from the person index: what a purge did before stays, nothing after.</summary>
internal sealed class DiesAtPersonIndex(ITableRowStore inner) : ITableRowStore
{
    public string Description => inner.Description;

    public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

    public Task<TableRow?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken = default) =>
        inner.GetAsync(table, partitionKey, rowKey, cancellationToken);

    public Task<string> InsertAsync(string table, string partitionKey, string rowKey, string data, CancellationToken cancellationToken = default) =>
        inner.InsertAsync(table, partitionKey, rowKey, data, cancellationToken);

    public Task<string> ReplaceAsync(string table, string partitionKey, string rowKey, string data, string etag, CancellationToken cancellationToken = default) =>
        inner.ReplaceAsync(table, partitionKey, rowKey, data, etag, cancellationToken);

    public Task<string> UpsertAsync(string table, string partitionKey, string rowKey, string data, CancellationToken cancellationToken = default) =>
        inner.UpsertAsync(table, partitionKey, rowKey, data, cancellationToken);

    public Task<bool> DeleteAsync(string table, string partitionKey, string rowKey, string? etag = null, CancellationToken cancellationToken = default) =>
        table == StorageTables.RequestsByPerson
            ? throw new SimulatedCrashException("died while deleting the person index")
            : inner.DeleteAsync(table, partitionKey, rowKey, etag, cancellationToken);

    public Task<IReadOnlyList<TableRow>> QueryAsync(string table, string partitionKey, RowKeyRange range, int limit, CancellationToken cancellationToken = default) =>
        inner.QueryAsync(table, partitionKey, range, limit, cancellationToken);

    public Task<IReadOnlyList<string?>> WriteBatchAsync(string table, string partitionKey, IReadOnlyList<RowWrite> writes, CancellationToken cancellationToken = default) =>
        inner.WriteBatchAsync(table, partitionKey, writes, cancellationToken);
}
