using Xunit;

namespace FusionBot.TestKit.Azurite;

/// <summary>
/// xunit fixture (class or collection) handing out the shared azurite Table service: its connection string and a
/// fresh table prefix per caller. Never skips: a server that cannot start fails the test with azurite's output.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteTableServer? _server;

    public AzuriteTableServer Server =>
        _server ?? throw new InvalidOperationException("AzuriteFixture is used before xunit initialized it.");

    public string ConnectionString => Server.ConnectionString;

    public static string NewTablePrefix() => AzuriteTableServer.NewTablePrefix();

    public async Task InitializeAsync() => _server = await AzuriteTableServer.GetSharedAsync();

    // The server outlives the fixture: it is shared by the whole test process and killed when it exits.
    public Task DisposeAsync() => Task.CompletedTask;
}
