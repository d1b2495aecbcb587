namespace FusionBot.Bot;

/// <summary>
/// Per-user limit on activities to /api/messages (section <c>RateLimit</c>): a token bucket of
/// <see cref="PermitsPerPeriod"/> messages or card actions, refilled every <see cref="Period"/>.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimit";

    /// <summary>How many messages and card actions a user may send in a burst, and how many come back each period.</summary>
    public int PermitsPerPeriod { get; set; } = 10;

    public TimeSpan Period { get; set; } = TimeSpan.FromSeconds(10);
}
