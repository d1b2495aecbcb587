using FusionBot.Features.Outbox;

namespace FusionBot.Features.Digest;

/// <summary>Keeps exactly one future run in the outbox: the next occurrence, under an id every instance agrees on.</summary>
public sealed class DigestRuns(DigestSchedule schedule, WorkOutbox outbox, TimeProvider time)
{
    /// <summary>Queues the first occurrence after both <paramref name="after"/> and now (a late run does not replay missed weeks).</summary>
    public async Task<DateTimeOffset?> EnqueueNextAsync(DateTimeOffset after, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (schedule.NextAfter(after > now ? after : now) is not { } next)
        {
            return null;
        }

        await outbox.EnqueueAsync(schedule.RunId(next), DigestRunHandler.RunKind, new DigestRunPayload(next), next, cancellationToken: cancellationToken);
        return next;
    }
}

/// <summary>At startup, makes sure the next run is queued (every instance does; the id makes it one).</summary>
public sealed partial class DigestRunStartup(DigestRuns runs, TimeProvider time, ILogger<DigestRunStartup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var next = await runs.EnqueueNextAsync(time.GetUtcNow(), stoppingToken);
            LogNext(logger, next);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            LogFailed(logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Next digest run queued for {Next:o}")]
    private static partial void LogNext(ILogger logger, DateTimeOffset? next);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not queue the next digest run; it is queued again at the next start")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
