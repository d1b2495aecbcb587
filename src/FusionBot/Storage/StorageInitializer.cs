using FusionBot.Storage.Rows;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FusionBot.Storage;

/// <summary>
/// Creates the tables at start, so a misconfigured store fails the start rather than the first user, moves rows of
/// earlier versions under their tenant's keys before anyone reads them, and back-fills the report index of the tenants
/// with a registered channel (<see cref="RequestIndexBackfill"/>; a tenant without one is back-filled before its first report).
/// </summary>
internal sealed partial class StorageInitializer(
    ITableRowStore rows, TenantKeyMigration migration, IChannelRoutingStore channels, RequestIndexBackfill backfill, ILogger<StorageInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        LogStore(logger, rows.Description);
        await rows.InitializeAsync(cancellationToken);
        await migration.RunAsync(cancellationToken);
        // Once per tenant (a marker row says it is done): the report index of requests stored by earlier versions.
        foreach (var tenantId in await channels.TenantsAsync(cancellationToken))
        {
            await backfill.EnsureAsync(tenantId, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage: {Store}")]
    private static partial void LogStore(ILogger logger, string store);
}
