using FusionBot.Storage;
using FusionBot.Storage.Rows;

namespace FusionBot.Requests;

/// <summary>A request waiting because its tier has no review channel yet.</summary>
public sealed record WaitingRequest(string TenantId, string RequestId);

/// <summary>
/// The index of requests waiting for a tier's channel: one row per waiting request in the tier's partition, so
/// <c>register</c> reads just those, and concurrent submissions never contend for a shared row.
/// </summary>
public sealed class WaitingForChannel(ITableRowStore rows)
{
    public Task AddAsync(int tier, WaitingRequest waiting, CancellationToken cancellationToken) =>
        rows.UpsertAsync(StorageTables.ReviewWaiting, Partition(tier), RowKey(waiting), StorageJson.Serialize(waiting), cancellationToken);

    public async Task<IReadOnlyList<WaitingRequest>> ListAsync(int tier, CancellationToken cancellationToken) =>
        [.. (await rows.QueryAllAsync(StorageTables.ReviewWaiting, Partition(tier), RowKeyRange.All, cancellationToken))
            .Select(row => StorageJson.Deserialize<WaitingRequest>(row.Data))];

    public async Task RemoveAsync(int tier, IReadOnlyCollection<WaitingRequest> done, CancellationToken cancellationToken)
    {
        foreach (var waiting in done)
        {
            await rows.DeleteAsync(StorageTables.ReviewWaiting, Partition(tier), RowKey(waiting), cancellationToken: cancellationToken);
        }
    }

    private static string Partition(int tier) => $"tier{tier}";

    private static string RowKey(WaitingRequest waiting) => $"{waiting.TenantId}|{waiting.RequestId}";
}
