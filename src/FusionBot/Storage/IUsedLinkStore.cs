namespace FusionBot.Storage;

/// <summary>Nonces of single-use links already followed, remembered with the link's expiry.</summary>
public interface IUsedLinkStore
{
    /// <summary>
    /// Marks <paramref name="nonce"/> used; true the first time, false when it was used before (by this or any
    /// other instance: the mark is an insert-if-absent).
    /// </summary>
    Task<bool> TryUseAsync(string tenantId, string nonce, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);
}
