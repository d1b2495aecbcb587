using FusionBot.Storage.Rows;

namespace FusionBot.Storage;

/// <summary>PartitionKey = role, RowKey = channel id; roles are a fixed set, so listing all reads a few small partitions.</summary>
public sealed class ChannelRoutingStore(ITableRowStore rows) : IChannelRoutingStore
{
    public Task RegisterAsync(string role, ChannelRegistration channel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        EnsureKnown(role);
        return rows.UpsertAsync(StorageTables.ChannelRoutes, role, channel.ChannelId, StorageJson.Serialize(channel), cancellationToken);
    }

    public Task<bool> UnregisterAsync(string role, string channelId, CancellationToken cancellationToken = default)
    {
        EnsureKnown(role);
        return rows.DeleteAsync(StorageTables.ChannelRoutes, role, channelId, cancellationToken: cancellationToken);
    }

    public async Task<IReadOnlyList<ChannelRegistration>> GetChannelsAsync(string role, CancellationToken cancellationToken = default)
    {
        EnsureKnown(role);
        var channels = await rows.QueryAllAsync(StorageTables.ChannelRoutes, role, RowKeyRange.All, cancellationToken);
        return [.. channels.Select(row => StorageJson.Deserialize<ChannelRegistration>(row.Data))];
    }

    public async Task<IReadOnlyList<ChannelRoute>> ListAllAsync(CancellationToken cancellationToken = default)
    {
        var routes = new List<ChannelRoute>();
        foreach (var role in ChannelRoles.All)
        {
            routes.AddRange((await GetChannelsAsync(role, cancellationToken)).Select(channel => new ChannelRoute(role, channel)));
        }

        return routes;
    }

    private static void EnsureKnown(string role)
    {
        if (!ChannelRoles.All.Contains(role))
        {
            throw new ArgumentException($"Unknown channel role '{role}'; expected one of {string.Join(", ", ChannelRoles.All)}.", nameof(role));
        }
    }
}
