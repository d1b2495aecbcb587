namespace FusionBot.Protocol.Authentication;

/// <summary>Supplies the bearer token the bot sends to the Bot Connector.</summary>
public interface IBotTokenProvider
{
    /// <summary>The access token, or null when the bot runs without an app id (no Authorization header is sent).</summary>
    ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken = default);
}

/// <summary>A freshly acquired token and when it stops being valid.</summary>
public readonly record struct BotAccessToken(string Token, DateTimeOffset ExpiresOn);

/// <summary>One way of acquiring a token from Entra ID (client secret, managed identity).</summary>
public interface IBotTokenSource
{
    Task<BotAccessToken> AcquireAsync(CancellationToken cancellationToken);
}
