using FusionBot.Features.Digest;
using FusionBot.Features.Outbox;
using FusionBot.FunctionalTests.Storage;
using FusionBot.Requests;
using FusionBot.Retention;
using FusionBot.Storage;
using FusionBot.Storage.Rows;
using FusionBot.TestKit.Azurite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FusionBot.FunctionalTests.Retention;

/// <summary>The daily retention run against each store: what it deletes, what it keeps, and how it splits its work.</summary>
public abstract class RetentionRunTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 3, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);

    // Starts in the past so records can be written at their age; a run moves it to Now.
    private readonly FakeTimeProvider _clock = new(Now.AddDays(-250));
    private StorageHost? _host;

    protected abstract IDictionary<string, string?> StorageSettings();

    private StorageHost Host => _host ?? throw new InvalidOperationException("Not initialized.");
    private IDueWorkStore DueWork => Host.Get<IDueWorkStore>();
    private IProcessedActivityStore Processed => Host.Get<IProcessedActivityStore>();
    private IDialogStateStore Dialogs => Host.Get<IDialogStateStore>();
    private IComponentCatalogueStore Catalogue => Host.Get<IComponentCatalogueStore>();

    public async Task InitializeAsync() => _host = await StorageHost.StartAsync(StorageSettings(), Path.GetTempPath(), _clock);

    public virtual async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Activity_ids_of_whole_days_past_the_retention_go_and_the_last_two_days_stay()
    {
        foreach (var daysAgo in new[] { 40, 9, 3, 2, 1, 0 })
        {
            Assert.True(await Processed.TryMarkProcessedAsync($"act-{daysAgo}", Now.AddDays(-daysAgo)));
        }

        await RunAsync(new RetentionOptions());

        // 40 days ago is past what a purge looks back on (a month); 9 and 3 are whole days before the 2-day cut-off.
        Assert.Equal(["act-40", "act-2", "act-1", "act-0"], await MarkedIdsAsync(40, 9, 3, 2, 1, 0));
        Assert.False(await Processed.TryMarkProcessedAsync("act-0", Now.AddMinutes(1)));
    }

    [Fact]
    public async Task Finished_outbox_records_past_their_retention_go_while_pending_and_recent_ones_stay()
    {
        await FinishAsync("notify:old-sent", Now.AddDays(-31), fail: false);
        await FinishAsync("notify:old-failed", Now.AddDays(-45), fail: true);
        await FinishAsync("notify:recent", Now.AddDays(-5), fail: false);
        await FinishAsync(DigestRecord.DeliveryIdPrefix + "t1:2026-04-13:old", Now.AddDays(-63), fail: false);
        await FinishAsync(DigestRecord.DeliveryIdPrefix + "t1:2026-05-11:kept", Now.AddDays(-35), fail: false);
        await DueWork.EnqueueAsync(Work("remind:old-pending", Now.AddDays(-60)));

        await RunAsync(new RetentionOptions());

        Assert.Null(await DueWork.GetStatusAsync("notify:old-sent"));
        Assert.Null(await DueWork.GetStatusAsync("notify:old-failed"));
        Assert.Equal(DueWorkState.Completed, (await DueWork.GetStatusAsync("notify:recent"))?.State);
        Assert.Equal(DueWorkState.Pending, (await DueWork.GetStatusAsync("remind:old-pending"))?.State);
        // Digest deliveries keep their own, longer retention (8 weeks by default), not the outbox's 30 days.
        Assert.Null(await DueWork.GetStatusAsync(DigestRecord.DeliveryIdPrefix + "t1:2026-04-13:old"));
        Assert.Equal(DueWorkState.Completed, (await DueWork.GetStatusAsync(DigestRecord.DeliveryIdPrefix + "t1:2026-05-11:kept"))?.State);
        // A purged id is free again.
        Assert.True(await DueWork.EnqueueAsync(Work("notify:old-sent", Now)));
    }

    [Fact]
    public async Task A_run_that_spends_its_batch_queues_a_follow_up_and_tomorrows_run()
    {
        for (var i = 0; i < 5; i++)
        {
            await FinishAsync($"notify:old-{i}", Now.AddDays(-40), fail: false);
        }

        var settings = new RetentionOptions { BatchSize = 3 };
        await RunAsync(settings);

        Assert.Equal(3, await CountGoneAsync(5));
        Assert.Equal(DueWorkState.Pending, (await DueWork.GetStatusAsync(RetentionRunHandler.RunId(Today, 1)))?.State);
        var tomorrow = await DueWork.GetStatusAsync(RetentionRunHandler.RunId(Today.AddDays(1), 0));
        Assert.Equal(Now.AddDays(1), tomorrow?.Item?.DueAt);

        await RunAsync(settings, part: 1);

        Assert.Equal(5, await CountGoneAsync(5));
        Assert.Null(await DueWork.GetStatusAsync(RetentionRunHandler.RunId(Today, 2)));
    }

    [Fact]
    public async Task Dialogs_nobody_continued_within_the_retention_go_while_recent_continued_and_non_dialog_records_stay()
    {
        await SaveDialogAsync("t1|abandoned", daysAgo: 40);
        var continued = await SaveDialogAsync("t1|continued", daysAgo: 40);
        await SaveDialogAsync("digest:t1:2026-05-04", daysAgo: 40);
        var finished = await SaveDialogAsync("t1|finished", daysAgo: 35);
        await Dialogs.DeleteAsync("t1|finished", finished);
        await SaveDialogAsync("t1|recent", daysAgo: 5);
        _clock.SetUtcNow(Now.AddDays(-3));
        await Dialogs.SaveAsync("t1|continued", new Dialog("answer 2"), continued);

        await RunAsync(new RetentionOptions());

        Assert.Null(await Dialogs.GetAsync<Dialog>("t1|abandoned"));
        Assert.Equal("answer 2", (await Dialogs.GetAsync<Dialog>("t1|continued"))?.Value.Step);
        Assert.NotNull(await Dialogs.GetAsync<Dialog>("t1|recent"));
        Assert.NotNull(await Dialogs.GetAsync<Dialog>("digest:t1:2026-05-04"));
        // Noted once a day it was written: a second run finds nothing left to do for those days.
        Assert.Equal(0, await Dialogs.PurgeAbandonedAsync(Now - new RetentionOptions().DialogStates, 100));
    }

    [Fact]
    public async Task Component_opens_not_repeated_within_the_retention_go_in_every_tenant_and_repeated_ones_stay()
    {
        await Catalogue.RecordOpenAsync("t1", new ComponentOpen("flow", "user-old", Now.AddDays(-200)));
        await Catalogue.RecordOpenAsync("t2", new ComponentOpen("flow", "user-old", Now.AddDays(-190)));
        await Catalogue.RecordOpenAsync("t1", new ComponentOpen("flow", "user-again", Now.AddDays(-200)));
        await Catalogue.RecordOpenAsync("t1", new ComponentOpen("flow", "user-again", Now.AddDays(-20)));
        await Catalogue.RecordOpenAsync("t1", new ComponentOpen("flow", "user-new", Now.AddDays(-10)));

        await RunAsync(new RetentionOptions());

        Assert.Equal(["user-again", "user-new"], (await Catalogue.ListOpensAsync("t1")).Select(o => o.UserId).Order());
        Assert.Empty(await Catalogue.ListOpensAsync("t2"));
    }

    [Fact]
    public async Task Dialogs_and_opens_are_purged_within_the_batch_and_the_rest_by_the_follow_up()
    {
        for (var i = 0; i < 3; i++)
        {
            await SaveDialogAsync($"t1|old-{i}", daysAgo: 40);
            await Catalogue.RecordOpenAsync("t1", new ComponentOpen("flow", $"user-{i}", Now.AddDays(-200)));
        }

        var settings = new RetentionOptions { BatchSize = 4 };
        await RunAsync(settings);

        Assert.Equal(DueWorkState.Pending, (await DueWork.GetStatusAsync(RetentionRunHandler.RunId(Today, 1)))?.State);
        Assert.Equal(2, (await Catalogue.ListOpensAsync("t1")).Count);

        await RunAsync(settings, part: 1);

        Assert.Empty(await Catalogue.ListOpensAsync("t1"));
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(await Dialogs.GetAsync<Dialog>($"t1|old-{i}"));
        }
    }

    private async Task<string> SaveDialogAsync(string key, int daysAgo)
    {
        _clock.SetUtcNow(Now.AddDays(-daysAgo));
        return await Dialogs.SaveAsync(key, new Dialog("answer 1"), etag: null);
    }

    private sealed record Dialog(string Step);

    private async Task RunAsync(RetentionOptions settings, int part = 0)
    {
        var outbox = new WorkOutbox(DueWork, new OutboxSignal(), _clock);
        if (_clock.GetUtcNow() < Now)
        {
            _clock.SetUtcNow(Now);
        }

        var requests = new RequestRetention(Host.Get<ITableRowStore>(), Host.Get<IRequestStore>(), Host.Get<IRequestHistoryStore>(), DueWork,
            Host.Get<IChannelRoutingStore>(), Catalogue, Host.Get<PersonRequestIndex>(),
            Host.Get<RequestIndexWriter>(), Host.Get<RequestIndexBackfill>(), []);
        var handler = new RetentionRunHandler(Processed, DueWork, Dialogs, Catalogue, requests, outbox, Options.Create(settings), _clock, NullLogger<RetentionRunHandler>.Instance);
        await handler.HandleAsync(new DueWorkItem
        {
            Id = RetentionRunHandler.RunId(Today, part),
            Kind = RetentionRunHandler.RunKind,
            DueAt = Now,
            Payload = $"{{\"day\":\"{Today:yyyy-MM-dd}\",\"part\":{part}}}",
        }, CancellationToken.None);
    }

    private async Task FinishAsync(string id, DateTimeOffset dueAt, bool fail)
    {
        await DueWork.EnqueueAsync(Work(id, dueAt));
        var claimed = Assert.Single(await DueWork.ClaimDueAsync(dueAt, 1, TimeSpan.FromMinutes(1), "test"));
        await (fail ? DueWork.FailAsync(claimed, "MessageWritesBlocked") : DueWork.CompleteAsync(claimed));
    }

    private async Task<int> CountGoneAsync(int count)
    {
        var gone = 0;
        for (var i = 0; i < count; i++)
        {
            gone += await DueWork.GetStatusAsync($"notify:old-{i}") is null ? 1 : 0;
        }

        return gone;
    }

    private async Task<List<string>> MarkedIdsAsync(params int[] daysAgo)
    {
        var rows = Host.Get<ITableRowStore>();
        var ids = new List<string>();
        foreach (var days in daysAgo)
        {
            var partition = Now.AddDays(-days).UtcDateTime.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
            ids.AddRange((await rows.QueryAsync(StorageTables.ProcessedActivities, partition, RowKeyRange.All, 10)).Select(r => r.RowKey));
        }

        return ids;
    }

    private static DueWorkItem Work(string id, DateTimeOffset dueAt) => new() { Id = id, Kind = "notify", DueAt = dueAt, Payload = "{}" };
}

public sealed class SqliteRetentionRunTests : RetentionRunTests
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"fusionbot-retention-{Guid.NewGuid():N}.db");

    protected override IDictionary<string, string?> StorageSettings() => new Dictionary<string, string?> { ["EmbeddedPath"] = _path };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }
}

public sealed class TableStorageRetentionRunTests(AzuriteFixture azurite) : RetentionRunTests, IClassFixture<AzuriteFixture>
{
    private readonly string _tablePrefix = AzuriteFixture.NewTablePrefix();

    protected override IDictionary<string, string?> StorageSettings() => new Dictionary<string, string?>
    {
        ["ConnectionString"] = azurite.ConnectionString,
        ["TablePrefix"] = _tablePrefix,
    };
}
