using FusionBot.Requests;
using FusionBot.Storage;
using Microsoft.Extensions.Options;

namespace FusionBot.FunctionalTests.Storage;

/// <summary>The contract against the embedded store: a fresh SQLite file per test.</summary>
public sealed class SqliteStorageContractTests : StorageContractTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "fusionbot-storage-tests", Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_directory, "state", "fusionbot.db");

    protected override IDictionary<string, string?> StorageSettings() =>
        new Dictionary<string, string?> { ["EmbeddedPath"] = DatabasePath };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task DataSurvivesANewInstanceOnTheSameFile()
    {
        var created = await Requests.CreateAsync(NewRequest("tenant-a", "maker-1"));
        await DialogState.SaveAsync("conv-1", new SampleState("step-2", 3), etag: null);

        await using (var reopened = await StorageHost.StartAsync(StorageSettings(), _directory))
        {
            var request = await reopened.Get<IRequestStore>().GetAsync("tenant-a", created.Id);
            Assert.Equivalent(created, request, strict: true);
            var state = await reopened.Get<IDialogStateStore>().GetAsync<SampleState>("conv-1");
            Assert.Equal(new SampleState("step-2", 3), state?.Value);

            var next = await reopened.Get<IRequestStore>().CreateAsync(NewRequest("tenant-a", "maker-1"));
            Assert.NotEqual(created.Id, next.Id);
        }

        Assert.True(File.Exists(DatabasePath));
    }

    [Fact]
    public async Task RelativeEmbeddedPathIsUnderTheContentRoot()
    {
        await using var host = await StorageHost.StartAsync(new Dictionary<string, string?> { ["EmbeddedPath"] = "data/bot.db" }, _directory);
        await host.Get<IProcessedActivityStore>().TryMarkProcessedAsync("a-1", DateTimeOffset.UtcNow);

        Assert.True(File.Exists(Path.Combine(_directory, "data", "bot.db")));
    }

    [Fact]
    public async Task NoStorageConfiguredUsesFusionbotDbInTheContentRoot()
    {
        await using var host = await StorageHost.StartAsync(new Dictionary<string, string?>(), _directory);
        await host.Get<IProcessedActivityStore>().TryMarkProcessedAsync("a-1", DateTimeOffset.UtcNow);

        Assert.True(File.Exists(Path.Combine(_directory, "fusionbot.db")));
    }

    [Theory]
    [InlineData("fusion-bot")]
    [InlineData("1fusion")]
    [InlineData("fusion_bot")]
    public async Task AnInvalidTablePrefixIsRefusedNamingTheKey(string prefix)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            StorageHost.StartAsync(new Dictionary<string, string?> { ["TablePrefix"] = prefix }, _directory));

        Assert.Contains("Storage:TablePrefix", error.Message, StringComparison.Ordinal);
    }

    private static GovernanceRequest NewRequest(string tenantId, string makerId) => StorageContractTests.NewRequest(tenantId, makerId, "Expense app");
}
