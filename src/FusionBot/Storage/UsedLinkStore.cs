using FusionBot.Storage.Rows;

namespace FusionBot.Storage;

/// <summary>PartitionKey = tenant, RowKey = the link's nonce; the row keeps the link's expiry, after which the link is refused anyway.</summary>
public sealed class UsedLinkStore(ITableRowStore rows, TimeProvider time) : IUsedLinkStore
{
    public async Task<bool> TryUseAsync(string tenantId, string nonce, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(nonce);
        try
        {
            await rows.InsertAsync(StorageTables.UsedLinks, tenantId, nonce,
                StorageJson.Serialize(new UsedLink(time.GetUtcNow(), expiresAt)), cancellationToken);
            return true;
        }
        catch (ConcurrencyConflictException)
        {
            return false;
        }
    }

    private sealed record UsedLink(DateTimeOffset UsedAt, DateTimeOffset ExpiresAt);
}
