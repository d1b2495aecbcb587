using System.Globalization;
using FusionBot.Storage.Rows;

namespace FusionBot.Storage;

/// <summary>
/// One counter row per maker and day (PartitionKey = tenant|maker, RowKey = yyyyMMdd), created with an insert and
/// bumped with ETag-guarded writes: two confirmations at once on two instances cannot both take the last place.
/// Creating a day's row removes the maker's rows older than yesterday, so a partition holds at most a few.
/// </summary>
public sealed class DailyRequestCountStore(ITableRowStore rows) : IDailyRequestCountStore
{
    private const int MaxAttempts = 50;
    private const int CleanupBatch = 20;

    public async Task<bool> TryCountAsync(string tenantId, string makerId, DateOnly day, int max, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(makerId);
        var partition = Partition(tenantId, makerId);
        var rowKey = RowKey(day);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var row = await rows.GetAsync(StorageTables.RequestsPerDay, partition, rowKey, cancellationToken);
            var count = row is null ? 0 : StorageJson.Deserialize<Count>(row.Data).Requests;
            if (count >= max)
            {
                return false;
            }

            var data = StorageJson.Serialize(new Count(count + 1));
            try
            {
                await (row is null
                    ? rows.InsertAsync(StorageTables.RequestsPerDay, partition, rowKey, data, cancellationToken)
                    : rows.ReplaceAsync(StorageTables.RequestsPerDay, partition, rowKey, data, row.ETag, cancellationToken));
            }
            catch (ConcurrencyConflictException)
            {
                // Another confirmation counted first: read the new count and try again.
                continue;
            }

            if (row is null)
            {
                await RemoveOlderThanYesterdayAsync(partition, day, cancellationToken);
            }

            return true;
        }

        throw new ConcurrencyConflictException($"The daily request count stayed contended for {MaxAttempts} attempts.");
    }

    // Yesterday's row stays: an instance whose clock is a little behind may still be counting it.
    private async Task RemoveOlderThanYesterdayAsync(string partition, DateOnly day, CancellationToken cancellationToken)
    {
        var old = await rows.QueryAsync(StorageTables.RequestsPerDay, partition, RowKeyRange.Below(RowKey(day.AddDays(-1))), CleanupBatch, cancellationToken);
        foreach (var row in old)
        {
            await rows.DeleteAsync(StorageTables.RequestsPerDay, partition, row.RowKey, cancellationToken: cancellationToken);
        }
    }

    private static string Partition(string tenantId, string makerId) => tenantId + "|" + makerId;

    private static string RowKey(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private sealed record Count(int Requests);
}
