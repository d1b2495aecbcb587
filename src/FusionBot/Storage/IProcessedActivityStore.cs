namespace FusionBot.Storage;

/// <summary>
/// Activity ids already handled, so a redelivered activity is dropped. Entries are needed for a day; the retention run
/// deletes older ones. An activity is marked once its turn succeeded, so one whose turn failed (and that Teams
/// therefore retries) is handled again.
/// </summary>
public interface IProcessedActivityStore
{
    /// <summary>True when the id was marked within the last day.</summary>
    Task<bool> IsProcessedAsync(string activityId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>True the first time an id is seen (within a day), false for a redelivery.</summary>
    Task<bool> TryMarkProcessedAsync(string activityId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the marks whose id starts with <paramref name="idPrefix"/> (one conversation's, for an erasure) on every
    /// day a purge would still look at, reading each day's key range only. Returns how many.
    /// </summary>
    Task<int> ForgetAsync(string idPrefix, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Deletes up to <paramref name="max"/> marks of whole UTC days before <paramref name="before"/>. Returns how many.</summary>
    Task<int> PurgeAsync(DateTimeOffset before, int max, CancellationToken cancellationToken = default);
}
