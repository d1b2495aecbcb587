using Microsoft.IdentityModel.Protocols;

namespace FusionBot.Protocol.Authentication;

/// <summary>
/// One issuer's signing keys, fetched on first use, renewed daily, and refetched at once when a token names an
/// unknown key id, at most once per <see cref="RefreshThrottle"/>. (The IdentityModel ConfigurationManager refreshes
/// in the background after RequestRefresh, so the token that revealed a key rollover would still be rejected.)
/// Concurrent callers share one fetch; a failed refresh keeps the last good keys.
/// </summary>
internal sealed class SigningMetadataCache(string address, IDocumentRetriever documents, TimeProvider timeProvider)
{
    public static readonly TimeSpan RefreshThrottle = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);

    private readonly SigningMetadataRetriever retriever = new();
    private readonly Lock gate = new();
    private SigningMetadata? current;
    private DateTimeOffset fetchedAt;
    private DateTimeOffset? lastForcedRefresh;
    private Task<SigningMetadata>? pending;

    public Task<SigningMetadata> GetAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (current is not null && timeProvider.GetUtcNow() - fetchedAt < MaxAge)
            {
                return Task.FromResult(current);
            }

            return FetchLocked().WaitAsync(cancellationToken);
        }
    }

    /// <summary>Refetches unless a forced refresh happened within the throttle; returns the keys to try again with.</summary>
    public Task<SigningMetadata> RefreshAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var now = timeProvider.GetUtcNow();
            if (current is not null && lastForcedRefresh is { } last && now - last < RefreshThrottle)
            {
                return Task.FromResult(current);
            }

            lastForcedRefresh = now;
            return FetchLocked().WaitAsync(cancellationToken);
        }
    }

    private Task<SigningMetadata> FetchLocked() => pending ??= FetchAsync();

    private async Task<SigningMetadata> FetchAsync()
    {
        try
        {
            var metadata = await retriever.GetConfigurationAsync(address, documents, CancellationToken.None).ConfigureAwait(false);
            lock (gate)
            {
                current = metadata;
                fetchedAt = timeProvider.GetUtcNow();
            }

            return metadata;
        }
        catch (Exception) when (current is not null)
        {
            return current;
        }
        finally
        {
            lock (gate)
            {
                pending = null;
            }
        }
    }
}
