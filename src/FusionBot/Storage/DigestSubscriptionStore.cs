using FusionBot.Storage.Rows;

namespace FusionBot.Storage;

public sealed class DigestSubscriptionStore(ITableRowStore rows) : IDigestSubscriptionStore
{
    public Task SubscribeAsync(string tenantId, DigestSubscriber subscriber, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        return rows.UpsertAsync(StorageTables.DigestSubscribers, tenantId, subscriber.UserId, StorageJson.Serialize(subscriber), cancellationToken);
    }

    public Task<bool> UnsubscribeAsync(string tenantId, string userId, CancellationToken cancellationToken = default) =>
        rows.DeleteAsync(StorageTables.DigestSubscribers, tenantId, userId, cancellationToken: cancellationToken);

    public async Task<IReadOnlyList<DigestSubscriber>> ListAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var subscribers = await rows.QueryAllAsync(StorageTables.DigestSubscribers, tenantId, RowKeyRange.All, cancellationToken);
        return [.. subscribers.Select(row => StorageJson.Deserialize<DigestSubscriber>(row.Data))];
    }
}
