using FusionBot.Bot;
using FusionBot.Protocol.Models;
using FusionBot.Storage.Rows;
using Microsoft.Extensions.Logging;

namespace FusionBot.Storage;

/// <summary>
/// Moves rows that earlier versions kept under global keys to their tenant's keys, at every start: channel routes
/// (partition = role), the waiting-for-channel index (partition = tier) and conversation references (partition
/// "user" or "channel"). Those old partitions have fixed names, so finding what is left is a few reads, and an empty
/// result costs nothing after the first start. Each row is inserted under its new key (a row already there is newer
/// and wins) and then its old row deleted, so any number of instances may run this at once, and a crash halfway is
/// finished by the next start. A reference that names no tenant came from an activity without one, which this
/// version files under <see cref="TurnExtensions.UnknownTenant"/>, and so does the migration.
/// </summary>
internal sealed partial class TenantKeyMigration(ITableRowStore rows, ILogger<TenantKeyMigration> logger)
{
    private const int PageSize = 500;

    private static readonly string[] OldRolePartitions = [.. ChannelRoles.All];
    private static readonly string[] OldTierPartitions = ["tier2", "tier3", "tier4"];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        foreach (var role in OldRolePartitions)
        {
            await MoveAsync(StorageTables.ChannelRoutes, role, async (row, ct) =>
            {
                var channel = StorageJson.Deserialize<ChannelRegistration>(row.Data);
                await rows.UpsertAsync(StorageTables.ChannelRoutes, ChannelRoutingStore.TenantsPartition, channel.TenantId, "{}", ct);
                return (channel.TenantId, $"{role}|{channel.ChannelId}");
            }, cancellationToken);
        }

        foreach (var tier in OldTierPartitions)
        {
            await MoveAsync(StorageTables.ReviewWaiting, tier, (row, _) =>
            {
                var waiting = StorageJson.Deserialize<WaitingRow>(row.Data);
                return Task.FromResult(($"{waiting.TenantId}|{tier}", waiting.RequestId));
            }, cancellationToken);
        }

        await MoveAsync(StorageTables.ConversationReferences, "user",
            (row, _) => Task.FromResult((ConversationReferenceStore.UserPartition(TenantOf(row)), row.RowKey)), cancellationToken);
        await MoveAsync(StorageTables.ConversationReferences, "channel",
            (row, _) => Task.FromResult((ConversationReferenceStore.ChannelPartition(TenantOf(row)), row.RowKey)), cancellationToken);
    }

    private async Task MoveAsync(string table, string oldPartition, Func<TableRow, CancellationToken, Task<(string Partition, string RowKey)>> newKey,
        CancellationToken cancellationToken)
    {
        var moved = 0;
        var range = RowKeyRange.All;
        while (true)
        {
            var page = await rows.QueryAsync(table, oldPartition, range, PageSize, cancellationToken);
            foreach (var row in page)
            {
                var (partition, rowKey) = await newKey(row, cancellationToken);
                try
                {
                    await rows.InsertAsync(table, partition, rowKey, row.Data, cancellationToken);
                }
                catch (ConcurrencyConflictException)
                {
                    // Written under the tenant's key since (by this version, or another instance migrating): that one stands.
                }

                await rows.DeleteAsync(table, oldPartition, row.RowKey, cancellationToken: cancellationToken);
                moved++;
            }

            if (page.Count < PageSize)
            {
                break;
            }

            range = range.After(page[^1].RowKey);
        }

        if (moved > 0)
        {
            LogMoved(logger, moved, table, oldPartition);
        }
    }

    private static string TenantOf(TableRow row)
    {
        var reference = StorageJson.Deserialize<ConversationReference>(row.Data);
        return reference.TenantId ?? reference.Conversation?.TenantId ?? TurnExtensions.UnknownTenant;
    }

    /// <summary>The stored shape of a waiting request (the Review feature's <c>WaitingRequest</c>).</summary>
    private sealed record WaitingRow(string TenantId, string RequestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Moved {Count} row(s) of {Table} from the global partition {Partition} to their tenant's")]
    private static partial void LogMoved(ILogger logger, int count, string table, string partition);
}
