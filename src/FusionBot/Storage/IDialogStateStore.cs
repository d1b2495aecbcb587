namespace FusionBot.Storage;

/// <summary>A stored value with the ETag to pass back when saving it again.</summary>
public sealed record StoredState<T>(T Value, string ETag);

/// <summary>One dialog state per conversation, so any instance continues a conversation where it stopped.</summary>
public interface IDialogStateStore
{
    Task<StoredState<T>?> GetAsync<T>(string conversationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves the state if <paramref name="etag"/> is still current, or, when null, if there is no state yet.
    /// Returns the new ETag; throws <see cref="ConcurrencyConflictException"/> otherwise.
    /// </summary>
    Task<string> SaveAsync<T>(string conversationId, T state, string? etag, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes dialogs last saved on whole UTC days before <paramref name="before"/>, handling at most <paramref name="max"/>
    /// of them (the retention run's batch). Returns how many were handled.
    /// </summary>
    Task<int> PurgeAbandonedAsync(DateTimeOffset before, int max, CancellationToken cancellationToken = default);

    /// <summary>Removes the state (only if unchanged when an ETag is given). Returns false when there was none.</summary>
    Task<bool> DeleteAsync(string conversationId, string? etag = null, CancellationToken cancellationToken = default);
}
