using FusionBot.TestKit.Azurite;

namespace FusionBot.FunctionalTests.Storage;

/// <summary>The contract against real Table Storage (azurite), each test under its own table prefix.</summary>
public sealed class TableStorageContractTests(AzuriteFixture azurite) : StorageContractTests, IClassFixture<AzuriteFixture>
{
    private readonly string _tablePrefix = AzuriteFixture.NewTablePrefix();

    protected override IDictionary<string, string?> StorageSettings() => new Dictionary<string, string?>
    {
        ["ConnectionString"] = azurite.ConnectionString,
        ["TablePrefix"] = _tablePrefix,
    };
}
