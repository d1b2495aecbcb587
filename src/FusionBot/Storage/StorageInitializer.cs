using FusionBot.Storage.Rows;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FusionBot.Storage;

/// <summary>
/// Creates the tables at start, so a misconfigured store fails the start rather than the first user, and moves rows
/// of earlier versions under their tenant's keys before anyone reads them.
/// </summary>
internal sealed partial class StorageInitializer(ITableRowStore rows, TenantKeyMigration migration, ILogger<StorageInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        LogStore(logger, rows.Description);
        await rows.InitializeAsync(cancellationToken);
        await migration.RunAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage: {Store}")]
    private static partial void LogStore(ILogger logger, string store);
}
