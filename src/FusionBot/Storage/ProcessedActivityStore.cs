using System.Globalization;
using FusionBot.Storage.Rows;

namespace FusionBot.Storage;

/// <summary>
/// PartitionKey = UTC day of the mark, RowKey = activity id. A redelivery within a day lands in today's or
/// yesterday's partition; older partitions are deleted by the daily retention run (<see cref="PurgeAsync"/>), day by
/// day, without reading the live ones.
/// </summary>
public sealed class ProcessedActivityStore(ITableRowStore rows) : IProcessedActivityStore
{
    private static readonly TimeSpan Retention = TimeSpan.FromDays(1);

    // How far before the cut-off day a purge still looks, so days missed while the bot was down are deleted too.
    private const int DaysLookedBack = 31;

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

    private static string Day(DateTimeOffset at) => Day(at.UtcDateTime);

    private static string Day(DateTime utc) => utc.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public async Task<int> ForgetAsync(string idPrefix, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(idPrefix);
        var forgotten = 0;
        for (var day = now.UtcDateTime.Date; day > now.UtcDateTime.Date.AddDays(-DaysLookedBack); day = day.AddDays(-1))
        {
            var partition = Day(day);
            foreach (var row in await rows.QueryAllAsync(StorageTables.ProcessedActivities, partition, RowKeyRange.Prefix(idPrefix), cancellationToken))
            {
                forgotten += await rows.DeleteAsync(StorageTables.ProcessedActivities, partition, row.RowKey, cancellationToken: cancellationToken) ? 1 : 0;
            }
        }

        return forgotten;
    }

    public async Task<int> PurgeAsync(DateTimeOffset before, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        var purged = 0;
        // Whole days only: the cut-off's own day may still hold marks younger than the cut-off.
        for (var day = before.UtcDateTime.Date.AddDays(-1); purged < max && day > before.UtcDateTime.Date.AddDays(-DaysLookedBack); day = day.AddDays(-1))
        {
            var partition = Day(day);
            var stale = await rows.QueryAsync(StorageTables.ProcessedActivities, partition, RowKeyRange.All, max - purged, cancellationToken);
            foreach (var row in stale)
            {
                if (await rows.DeleteAsync(StorageTables.ProcessedActivities, partition, row.RowKey, cancellationToken: cancellationToken))
                {
                    purged++;
                }
            }
        }

        return purged;
    }

    private sealed record Mark(DateTimeOffset At);
}
