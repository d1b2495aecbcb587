using FusionBot.Storage;
using FusionBot.Storage.Rows;

namespace FusionBot.Requests;

/// <summary>A request waiting because its tier has no review channel yet.</summary>
public sealed record WaitingRequest(string TenantId, string RequestId);

/// <summary>
/// The index of requests waiting for a tier's channel in a tenant: one row per waiting request in the partition
/// tenant|tier, so <c>register</c> reads just its own tenant's, and concurrent submissions never contend for a shared row.
/// </summary>
public sealed class WaitingForChannel(ITableRowStore rows)
{
    public Task AddAsync(int tier, WaitingRequest waiting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(waiting);
        return rows.UpsertAsync(StorageTables.ReviewWaiting, Partition(waiting.TenantId, tier), waiting.RequestId, StorageJson.Serialize(waiting), cancellationToken);
    }

    public async Task<IReadOnlyList<WaitingRequest>> ListAsync(string tenantId, int tier, CancellationToken cancellationToken) =>
        [.. (await rows.QueryAllAsync(StorageTables.ReviewWaiting, Partition(tenantId, tier), RowKeyRange.All, cancellationToken))
            .Select(row => StorageJson.Deserialize<WaitingRequest>(row.Data))];

    public async Task RemoveAsync(string tenantId, int tier, IReadOnlyCollection<WaitingRequest> done, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(done);
        foreach (var waiting in done)
        {
            await rows.DeleteAsync(StorageTables.ReviewWaiting, Partition(tenantId, tier), waiting.RequestId, cancellationToken: cancellationToken);
        }
    }

    public static string Partition(string tenantId, int tier) => $"{tenantId}|tier{tier}";
}
