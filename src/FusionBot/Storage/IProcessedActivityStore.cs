namespace FusionBot.Storage;

/// <summary>Activity ids already handled, so a redelivered activity is dropped. Entries live one day.</summary>
public interface IProcessedActivityStore
{
    /// <summary>True the first time an id is seen (within a day), false for a redelivery.</summary>
    Task<bool> TryMarkProcessedAsync(string activityId, DateTimeOffset now, CancellationToken cancellationToken = default);
}
