using FusionBot.Storage.Rows;

namespace FusionBot.Storage;

/// <summary>
/// PartitionKey = tenant, RowKey = role|channel id: a tenant's routes are one small partition, a role's a prefix of
/// it. The partition <see cref="TenantsPartition"/> lists the tenants (no tenant id is that word).
/// </summary>
public sealed class ChannelRoutingStore(ITableRowStore rows) : IChannelRoutingStore
{
    public const string TenantsPartition = "tenants";

    public async Task RegisterAsync(string role, ChannelRegistration channel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        EnsureKnown(role);
        await rows.UpsertAsync(StorageTables.ChannelRoutes, channel.TenantId, RowKey(role, channel.ChannelId), StorageJson.Serialize(channel), cancellationToken);
        await rows.UpsertAsync(StorageTables.ChannelRoutes, TenantsPartition, channel.TenantId, "{}", cancellationToken);
    }

    public Task<bool> UnregisterAsync(string tenantId, string role, string channelId, CancellationToken cancellationToken = default)
    {
        EnsureKnown(role);
        return rows.DeleteAsync(StorageTables.ChannelRoutes, tenantId, RowKey(role, channelId), cancellationToken: cancellationToken);
    }

    public async Task<IReadOnlyList<ChannelRegistration>> GetChannelsAsync(string tenantId, string role, CancellationToken cancellationToken = default)
    {
        EnsureKnown(role);
        var channels = await rows.QueryAllAsync(StorageTables.ChannelRoutes, tenantId, RowKeyRange.Prefix(role + "|"), cancellationToken);
        return [.. channels.Select(row => StorageJson.Deserialize<ChannelRegistration>(row.Data))];
    }

    public async Task<IReadOnlyList<ChannelRoute>> ListAllAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var all = await rows.QueryAllAsync(StorageTables.ChannelRoutes, tenantId, RowKeyRange.All, cancellationToken);
        return [.. all.Select(row => new ChannelRoute(row.RowKey[..row.RowKey.IndexOf('|', StringComparison.Ordinal)], StorageJson.Deserialize<ChannelRegistration>(row.Data)))];
    }

    public async Task<IReadOnlyList<string>> TenantsAsync(CancellationToken cancellationToken = default) =>
        [.. (await rows.QueryAllAsync(StorageTables.ChannelRoutes, TenantsPartition, RowKeyRange.All, cancellationToken)).Select(row => row.RowKey)];

    private static string RowKey(string role, string channelId) => $"{role}|{channelId}";

    private static void EnsureKnown(string role)
    {
        if (!ChannelRoles.All.Contains(role))
        {
            throw new ArgumentException($"Unknown channel role '{role}'; expected one of {string.Join(", ", ChannelRoles.All)}.", nameof(role));
        }
    }
}
