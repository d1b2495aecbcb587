namespace FusionBot.Storage;

/// <summary>
/// Activity ids already handled, so a redelivered activity is dropped. Entries live one day. An activity is marked
/// once its turn succeeded, so one whose turn failed (and that Teams therefore retries) is handled again.
/// </summary>
public interface IProcessedActivityStore
{
    /// <summary>True when the id was marked within the last day.</summary>
    Task<bool> IsProcessedAsync(string activityId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>True the first time an id is seen (within a day), false for a redelivery.</summary>
    Task<bool> TryMarkProcessedAsync(string activityId, DateTimeOffset now, CancellationToken cancellationToken = default);
}
