using System.Globalization;
using FusionBot.Features.Digest;
using FusionBot.Features.Outbox;
using FusionBot.Requests;
using FusionBot.Storage;
using Microsoft.Extensions.Options;

namespace FusionBot.Retention;

/// <param name="Day">The UTC day the run belongs to; its id makes one run a day whatever the number of instances.</param>
/// <param name="Part">0 for the day's run; 1, 2, … for follow-ups while records were left over.</param>
public sealed record RetentionRunPayload(DateOnly Day, int Part);

/// <summary>
/// The daily purge, carried by the outbox: one item a day under an id every instance agrees on, so it runs once
/// whatever the number of instances, and a crash means a retry. Each item deletes at most <c>Retention:BatchSize</c>
/// records, oldest categories first, and queues a follow-up when it used its whole budget.
/// </summary>
public sealed partial class RetentionRunHandler(
    IProcessedActivityStore processedActivities,
    IDueWorkStore dueWork,
    IDialogStateStore dialogs,
    IComponentCatalogueStore catalogue,
    RequestRetention requests,
    WorkOutbox outbox,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<RetentionRunHandler> logger) : IOutboxHandler
{
    public const string RunKind = "retention.run";

    public string Kind => RunKind;

    public async Task HandleAsync(DueWorkItem item, CancellationToken cancellationToken)
    {
        var run = WorkOutbox.Read<RetentionRunPayload>(item);
        var settings = options.Value;
        if (run.Part == 0)
        {
            // Tomorrow's run first: whatever fails below, the schedule goes on.
            await EnqueueAsync(outbox, settings, run.Day.AddDays(1), 0, cancellationToken);
        }

        var now = time.GetUtcNow();
        var budget = settings.BatchSize;
        var ids = await processedActivities.PurgeAsync(now - settings.ProcessedActivities, budget, cancellationToken);
        budget -= ids;
        var deliveries = budget == 0 ? 0 : await dueWork.PurgeFinishedAsync(
            now - settings.DigestDeliveries, budget, idPrefix: DigestRecord.DeliveryIdPrefix, cancellationToken: cancellationToken);
        budget -= deliveries;
        var records = budget == 0 ? 0 : await dueWork.PurgeFinishedAsync(
            now - settings.OutboxRecords, budget, exceptPrefix: DigestRecord.DeliveryIdPrefix, cancellationToken: cancellationToken);
        budget -= records;
        var abandoned = budget == 0 ? 0 : await dialogs.PurgeAbandonedAsync(now - settings.DialogStates, budget, cancellationToken);
        budget -= abandoned;
        var opens = budget == 0 ? 0 : await catalogue.PurgeOpensAsync(now - settings.ComponentOpens, budget, cancellationToken);
        budget -= opens;
        var purged = budget == 0 || settings.Requests is not { } kept ? 0 : await requests.PurgeAsync(now - kept, budget, cancellationToken);
        budget -= purged;
        LogPurged(logger, run.Day, run.Part, ids, deliveries, records, abandoned, opens, purged);

        if (budget == 0)
        {
            await outbox.EnqueueAsync(RunId(run.Day, run.Part + 1), RunKind, run with { Part = run.Part + 1 }, cancellationToken: cancellationToken);
        }
    }

    /// <summary>Queues the run of <paramref name="day"/> (part <paramref name="part"/>); known ids are ignored, so every instance may call it.</summary>
    public static Task EnqueueAsync(WorkOutbox outbox, RetentionOptions settings, DateOnly day, int part, CancellationToken cancellationToken)
    {
        var dueAt = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) + settings.RunAt;
        return outbox.EnqueueAsync(RunId(day, part), RunKind, new RetentionRunPayload(day, part), dueAt, cancellationToken: cancellationToken);
    }

    public static string RunId(DateOnly day, int part) =>
        string.Create(CultureInfo.InvariantCulture, $"retention:{day:yyyy-MM-dd}:{part}");

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Retention run {Day:yyyy-MM-dd} part {Part}: {Ids} activity ids, {Deliveries} digest delivery records, {Records} outbox records deleted; {Dialogs} dialog, {Opens} component open and {Requests} request records handled")]
    private static partial void LogPurged(ILogger logger, DateOnly day, int part, int ids, int deliveries, int records, int dialogs, int opens, int requests);
}

/// <summary>At startup, queues today's run (or tomorrow's when today's time has passed); the id makes it one.</summary>
public sealed partial class RetentionStartup(WorkOutbox outbox, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionStartup> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var now = time.GetUtcNow();
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            var day = now.UtcDateTime.TimeOfDay < options.Value.RunAt ? today : today.AddDays(1);
            await RetentionRunHandler.EnqueueAsync(outbox, options.Value, day, 0, stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            LogFailed(logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not queue the daily retention run; it is queued again at the next start")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
