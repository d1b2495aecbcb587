namespace FusionBot.Protocol.Authentication;

/// <summary>
/// Caches the token of an <see cref="IBotTokenSource"/> until five minutes before it expires. Concurrent callers
/// share one acquisition, which one caller's cancellation does not abort.
/// </summary>
public sealed class CachingBotTokenProvider(IBotTokenSource source, TimeProvider timeProvider) : IBotTokenProvider
{
    internal static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly Lock gate = new();
    private BotAccessToken? cached;
    private Task<BotAccessToken>? pending;

    public async ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken = default)
    {
        Task<BotAccessToken> acquisition;
        lock (gate)
        {
            if (cached is { } token && timeProvider.GetUtcNow() < token.ExpiresOn - RefreshMargin)
            {
                return token.Token;
            }

            pending ??= AcquireAndCacheAsync();
            acquisition = pending;
        }

        return (await acquisition.WaitAsync(cancellationToken).ConfigureAwait(false)).Token;
    }

    private async Task<BotAccessToken> AcquireAndCacheAsync()
    {
        try
        {
            var token = await source.AcquireAsync(CancellationToken.None).ConfigureAwait(false);
            lock (gate)
            {
                cached = token;
            }

            return token;
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

/// <summary>The provider when no app id is configured: nothing to send.</summary>
public sealed class AnonymousBotTokenProvider : IBotTokenProvider
{
    public ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<string?>(null);
}
