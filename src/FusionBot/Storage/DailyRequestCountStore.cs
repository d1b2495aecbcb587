using System.Globalization;
using FusionBot.Storage.Rows;

namespace FusionBot.Storage;

/// <summary>
/// One counter row per maker and day (PartitionKey = tenant|maker, RowKey = yyyyMMdd), created with an insert and
/// bumped with ETag-guarded writes: two confirmations at once on two instances cannot both take the last place.
/// </summary>
public sealed class DailyRequestCountStore(ITableRowStore rows) : IDailyRequestCountStore
{
    private const int MaxAttempts = 50;

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

            try
            {
                var data = StorageJson.Serialize(new Count(count + 1));
                await (row is null
                    ? rows.InsertAsync(StorageTables.RequestsPerDay, partition, rowKey, data, cancellationToken)
                    : rows.ReplaceAsync(StorageTables.RequestsPerDay, partition, rowKey, data, row.ETag, cancellationToken));
                return true;
            }
            catch (ConcurrencyConflictException)
            {
                // Another confirmation counted first: read the new count and try again.
            }
        }

        throw new ConcurrencyConflictException($"The daily request count stayed contended for {MaxAttempts} attempts.");
    }

    private static string Partition(string tenantId, string makerId) => tenantId + "|" + makerId;

    private static string RowKey(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private sealed record Count(int Requests);
}
