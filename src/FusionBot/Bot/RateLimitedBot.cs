using System.Threading.RateLimiting;
using FusionBot.Protocol.Hosting;
using FusionBot.Protocol.Models;
using Microsoft.Extensions.Options;

namespace FusionBot.Bot;

/// <summary>
/// Runs after the activity is authenticated and read: each user's messages and card actions go through a token
/// bucket keyed by their Entra object id (their channel id when Teams sends none). Over the limit, a message gets
/// one "slow down" answer per period and is otherwise dropped; a card action gets a 429 error in its invoke answer.
/// Teams itself always sees 200: a 429 would only make it retry. The buckets are per instance, so N instances
/// allow up to N times the limit: a brake on floods, not an exact quota.
/// </summary>
public sealed partial class RateLimitedBot : IBot, IDisposable
{
    internal const string SlowDownText = "You are sending messages faster than I can take them. Please wait a few seconds, then try again.";
    internal const string SlowDownCode = "TooManyRequests";
    internal const string SlowDownActionText = "Too many actions in a short time. Please wait a few seconds and try again.";

    private readonly FusionBotHandler _inner;
    private readonly ILogger<RateLimitedBot> _logger;
    private readonly PartitionedRateLimiter<string> _activities;
    // One notice per user per period: a flood gets one answer, not one per dropped message.
    private readonly PartitionedRateLimiter<string> _notices;

    public RateLimitedBot(FusionBotHandler inner, IOptions<RateLimitOptions> options, ILogger<RateLimitedBot> logger)
    {
        _inner = inner;
        _logger = logger;
        var limit = options.Value;
        _activities = PartitionedRateLimiter.Create<string, string>(user =>
            RateLimitPartition.GetTokenBucketLimiter(user, _ => Bucket(limit.PermitsPerPeriod, limit.Period)));
        _notices = PartitionedRateLimiter.Create<string, string>(user =>
            RateLimitPartition.GetTokenBucketLimiter(user, _ => Bucket(1, limit.Period)));
    }

    public async Task<InvokeResponse?> OnTurnAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var activity = turn.Activity;
        if (activity.Type is not (ActivityTypes.Message or ActivityTypes.Invoke) || UserKey(activity) is not { } user)
        {
            return await _inner.OnTurnAsync(turn, cancellationToken);
        }

        using (var lease = _activities.AttemptAcquire(user))
        {
            if (lease.IsAcquired)
            {
                return await _inner.OnTurnAsync(turn, cancellationToken);
            }
        }

        LogLimited(_logger, activity.Type);
        if (activity.Type == ActivityTypes.Invoke)
        {
            return AdaptiveCardInvokeResponse.Error(429, SlowDownCode, SlowDownActionText).ToInvokeResponse();
        }

        using var notice = _notices.AttemptAcquire(user);
        if (notice.IsAcquired)
        {
            await turn.SendActivityAsync(new Activity { Type = ActivityTypes.Message, Text = SlowDownText }, cancellationToken);
        }

        return null;
    }

    public void Dispose()
    {
        _activities.Dispose();
        _notices.Dispose();
    }

    /// <summary>The Entra object id is the same person in every chat and channel; the channel id is the fallback.</summary>
    private static string? UserKey(Activity activity) =>
        activity.From?.AadObjectId is { Length: > 0 } objectId ? "aad:" + objectId
        : activity.From?.Id is { Length: > 0 } id ? "id:" + id
        : null;

    private static TokenBucketRateLimiterOptions Bucket(int tokens, TimeSpan period) => new()
    {
        TokenLimit = tokens,
        TokensPerPeriod = tokens,
        ReplenishmentPeriod = period,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "A user went over the rate limit; their {Type} activity was not processed")]
    private static partial void LogLimited(ILogger logger, string? type);
}
