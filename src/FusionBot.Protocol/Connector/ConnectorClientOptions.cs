namespace FusionBot.Protocol.Connector;

/// <summary>How hard the connector client retries throttled or briefly unavailable calls.</summary>
public sealed class ConnectorClientOptions
{
    /// <summary>Attempts in all, the first included.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>First back-off when the service sends no Retry-After; doubled on each retry, jittered ±20 %.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A Retry-After longer than this is not waited for: the call fails so the caller can reschedule it.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);
}
