using FusionBot.Storage;
using FusionBot.Storage.Rows;
using FusionBot.TestKit.Azurite;
using Microsoft.Extensions.Time.Testing;

namespace FusionBot.FunctionalTests.Storage;

/// <summary>The abuse limits' stores (daily request counts, used link nonces), whichever backend holds the rows.</summary>
public abstract class LimitStoreContractTests : IAsyncLifetime
{
    private static readonly DateOnly Today = new(2026, 3, 2);
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset LinkExpiry = Now.AddMinutes(10);

    private readonly FakeTimeProvider _clock = new(Now);
    private StorageHost? _host;

    private StorageHost Host => _host ?? throw new InvalidOperationException("Not initialized.");
    private IDailyRequestCountStore Counts => Host.Get<IDailyRequestCountStore>();
    private IUsedLinkStore UsedLinks => Host.Get<IUsedLinkStore>();

    /// <summary>The "Storage" section (without the prefix) selecting the backend under test.</summary>
    protected abstract IDictionary<string, string?> StorageSettings();

    public async Task InitializeAsync() =>
        _host = await StorageHost.StartAsync(StorageSettings(), Path.GetTempPath(), _clock);

    public virtual async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_maker_is_counted_up_to_the_cap_and_no_further()
    {
        var counted = new List<bool>();
        for (var i = 0; i < 4; i++)
        {
            counted.Add(await Counts.TryCountAsync("tenant-a", "29:maker-1", Today, max: 3));
        }

        Assert.Equal([true, true, true, false], counted);
    }

    [Fact]
    public async Task Each_maker_tenant_and_day_has_its_own_count()
    {
        Assert.True(await Counts.TryCountAsync("tenant-a", "29:maker-1", Today, max: 1));

        Assert.False(await Counts.TryCountAsync("tenant-a", "29:maker-1", Today, max: 1));
        Assert.True(await Counts.TryCountAsync("tenant-a", "29:maker-2", Today, max: 1));
        Assert.True(await Counts.TryCountAsync("tenant-b", "29:maker-1", Today, max: 1));
        Assert.True(await Counts.TryCountAsync("tenant-a", "29:maker-1", Today.AddDays(1), max: 1));
    }

    [Fact]
    public async Task Twenty_concurrent_confirmations_against_a_cap_of_five_count_exactly_five()
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Task.Run(() => Counts.TryCountAsync("tenant-a", "29:maker-1", Today, max: 5))));

        Assert.Equal(5, outcomes.Count(counted => counted));
    }

    [Fact]
    public async Task Counting_a_new_day_removes_the_makers_counts_from_before_yesterday_only()
    {
        foreach (var day in new[] { Today.AddDays(-3), Today.AddDays(-2), Today.AddDays(-1), Today })
        {
            await Counts.TryCountAsync("tenant-a", "29:maker-1", day, max: 5);
        }

        var rows = await Host.Get<ITableRowStore>().QueryAsync(StorageTables.RequestsPerDay, "tenant-a|29:maker-1", RowKeyRange.All, 10);
        Assert.Equal(["20260301", "20260302"], rows.Select(r => r.RowKey));
    }

    [Fact]
    public async Task A_link_nonce_is_used_once()
    {
        Assert.True(await UsedLinks.TryUseAsync("tenant-a", "nonce-1", LinkExpiry));

        Assert.False(await UsedLinks.TryUseAsync("tenant-a", "nonce-1", LinkExpiry));
        Assert.True(await UsedLinks.TryUseAsync("tenant-a", "nonce-2", LinkExpiry));
        Assert.True(await UsedLinks.TryUseAsync("tenant-b", "nonce-1", LinkExpiry));
    }

    [Fact]
    public async Task Used_links_are_remembered_until_an_hour_after_they_expire_then_removed()
    {
        await UsedLinks.TryUseAsync("tenant-a", "old", LinkExpiry);
        _clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromMinutes(59));
        await UsedLinks.TryUseAsync("tenant-a", "newer", _clock.GetUtcNow().AddMinutes(10));
        Assert.False(await UsedLinks.TryUseAsync("tenant-a", "old", LinkExpiry));

        _clock.Advance(TimeSpan.FromMinutes(2));
        await UsedLinks.TryUseAsync("tenant-a", "newest", _clock.GetUtcNow().AddMinutes(10));

        var rows = await Host.Get<ITableRowStore>().QueryAsync(StorageTables.UsedLinks, "tenant-a", RowKeyRange.All, 10);
        Assert.Equal(["newer", "newest"], rows.Select(r => r.RowKey.Split('|')[1]));
    }

    [Fact]
    public async Task Of_ten_concurrent_uses_of_one_nonce_exactly_one_wins()
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            Task.Run(() => UsedLinks.TryUseAsync("tenant-a", "nonce-race", LinkExpiry))));

        Assert.Single(outcomes, used => used);
    }
}

public sealed class SqliteLimitStoreContractTests : LimitStoreContractTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "fusionbot-storage-tests", Guid.NewGuid().ToString("N"));

    protected override IDictionary<string, string?> StorageSettings() =>
        new Dictionary<string, string?> { ["EmbeddedPath"] = Path.Combine(_directory, "fusionbot.db") };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

public sealed class TableStorageLimitStoreContractTests(AzuriteFixture azurite) : LimitStoreContractTests, IClassFixture<AzuriteFixture>
{
    private readonly string _tablePrefix = AzuriteFixture.NewTablePrefix();

    protected override IDictionary<string, string?> StorageSettings() => new Dictionary<string, string?>
    {
        ["ConnectionString"] = azurite.ConnectionString,
        ["TablePrefix"] = _tablePrefix,
    };
}
