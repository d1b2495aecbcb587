using System.Globalization;
using FusionBot.Storage.Rows;

namespace FusionBot.Storage;

/// <summary>
/// PartitionKey = UTC day of the mark, RowKey = activity id. A redelivery within a day lands in today's or
/// yesterday's partition; older partitions are deleted from time to time without scanning the live ones.
/// </summary>
public sealed class ProcessedActivityStore(ITableRowStore rows) : IProcessedActivityStore
{
    private static readonly TimeSpan Retention = TimeSpan.FromDays(1);
    private static readonly TimeSpan CleanupInterval = TimeSpan.FromHours(1);
    private const int OldestDayCleaned = 8;
    private const int CleanupBatch = 200;

    // Only throttles this instance's share of the cleanup; losing it on restart costs one extra sweep.
    private long _nextCleanupTicks;

    public async Task<bool> IsProcessedAsync(string activityId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(activityId);
        foreach (var day in new[] { Day(now), Day(now - Retention) })
        {
            if (await rows.GetAsync(StorageTables.ProcessedActivities, day, activityId, cancellationToken) is { } row && IsFresh(row, now))
            {
                return true;
            }
        }

        return false;
    }

    public async Task<bool> TryMarkProcessedAsync(string activityId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(activityId);
        await CleanupIfDueAsync(now, cancellationToken);

        var yesterday = await rows.GetAsync(StorageTables.ProcessedActivities, Day(now - Retention), activityId, cancellationToken);
        if (yesterday is not null && IsFresh(yesterday, now))
        {
            return false;
        }

        try
        {
            await rows.InsertAsync(StorageTables.ProcessedActivities, Day(now), activityId,
                StorageJson.Serialize(new Mark(now)), cancellationToken);
            return true;
        }
        catch (ConcurrencyConflictException)
        {
            return false;
        }
    }

    private static bool IsFresh(TableRow row, DateTimeOffset now) =>
        StorageJson.Deserialize<Mark>(row.Data).At > now - Retention;

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private async Task CleanupIfDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var next = Interlocked.Read(ref _nextCleanupTicks);
        if (now.UtcTicks < next ||
            Interlocked.CompareExchange(ref _nextCleanupTicks, (now + CleanupInterval).UtcTicks, next) != next)
        {
            return;
        }

        for (var daysAgo = 2; daysAgo <= OldestDayCleaned; daysAgo++)
        {
            var day = Day(now - TimeSpan.FromDays(daysAgo));
            var stale = await rows.QueryAsync(StorageTables.ProcessedActivities, day, RowKeyRange.All, CleanupBatch, cancellationToken);
            foreach (var row in stale)
            {
                await rows.DeleteAsync(StorageTables.ProcessedActivities, day, row.RowKey, cancellationToken: cancellationToken);
            }
        }
    }

    private sealed record Mark(DateTimeOffset At);
}
