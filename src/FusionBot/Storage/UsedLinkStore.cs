using System.Globalization;
using FusionBot.Storage.Rows;

namespace FusionBot.Storage;

/// <summary>
/// PartitionKey = tenant, RowKey = the link's expiry (unix seconds, fixed width) and nonce: one row per followed link,
/// kept until it has expired (after which the link is refused anyway), then removed in key order without a scan.
/// </summary>
public sealed class UsedLinkStore(ITableRowStore rows, TimeProvider time) : IUsedLinkStore
{
    // Rows are removed this long after their link expired, so an instance whose clock runs behind still finds them.
    private static readonly TimeSpan KeptAfterExpiry = TimeSpan.FromHours(1);
    private const int CleanupBatch = 50;

    public async Task<bool> TryUseAsync(string tenantId, string nonce, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(nonce);
        var now = time.GetUtcNow();
        try
        {
            await rows.InsertAsync(StorageTables.UsedLinks, tenantId, RowKey(expiresAt, nonce),
                StorageJson.Serialize(new UsedLink(now, expiresAt)), cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            return false;
        }

        await RemoveExpiredAsync(tenantId, now, cancellationToken);
        return true;
    }

    private async Task RemoveExpiredAsync(string tenantId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var expired = await rows.QueryAsync(StorageTables.UsedLinks, tenantId,
            RowKeyRange.Below(ExpiryPrefix(now - KeptAfterExpiry)), CleanupBatch, cancellationToken);
        foreach (var row in expired)
        {
            await rows.DeleteAsync(StorageTables.UsedLinks, tenantId, row.RowKey, cancellationToken: cancellationToken);
        }
    }

    private static string RowKey(DateTimeOffset expiresAt, string nonce) => ExpiryPrefix(expiresAt) + "|" + nonce;

    private static string ExpiryPrefix(DateTimeOffset at) =>
        Math.Max(0, at.ToUnixTimeSeconds()).ToString("D12", CultureInfo.InvariantCulture);

    private sealed record UsedLink(DateTimeOffset UsedAt, DateTimeOffset ExpiresAt);
}
