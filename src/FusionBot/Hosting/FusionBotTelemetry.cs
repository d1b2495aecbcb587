using System.Diagnostics;
using System.Diagnostics.Metrics;
using FusionBot.Storage;

namespace FusionBot.Hosting;

/// <summary>
/// FusionBot's own spans and metrics. Every tag value is one of a small fixed set (activity types, command names,
/// verbs, tiers, outcomes, table names): never a name, message text or an id, so nothing personal can reach an exporter.
/// Nothing is recorded unless <see cref="ServiceDefaults"/> registered an exporter.
/// </summary>
public static class FusionBotTelemetry
{
    public const string Name = "FusionBot";
    public const string TurnSpanPrefix = "turn ";

    public static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Turns =
        Meter.CreateCounter<long>("fusionbot.turns", "{turn}", "Activities handled, by activity type, command or verb, and outcome.");

    public static readonly Counter<long> Errors =
        Meter.CreateCounter<long>("fusionbot.errors", "{error}", "Failures, by kind (turn, storage, send) and exception type.");

    public static readonly Histogram<double> InvokeDuration =
        Meter.CreateHistogram<double>("fusionbot.invoke.duration", "s", "Time to answer a card action (Teams allows 5 s).");

    public static readonly Counter<long> Sends =
        Meter.CreateCounter<long>("fusionbot.sends", "{send}", "Messages sent or updated through the connector, by result: ok, throttled, blocked, failed.");

    public static readonly Counter<long> SlaReminders =
        Meter.CreateCounter<long>("fusionbot.sla.reminders", "{reminder}", "SLA reminders posted in review threads.");

    public static readonly Counter<long> SlaBreaches =
        Meter.CreateCounter<long>("fusionbot.sla.breaches", "{breach}", "Requests whose SLA was breached.");

    public static readonly Counter<long> Decisions =
        Meter.CreateCounter<long>("fusionbot.decisions", "{decision}", "Review decisions and self-certifications, by tier and decision.");

    public static readonly Counter<long> OutboxItems =
        Meter.CreateCounter<long>("fusionbot.outbox.items", "{item}", "Outbox items carried out, by kind and result: done, retry, failed, released, error.");

    private static BacklogSample? _backlog;

    static FusionBotTelemetry()
    {
        Meter.CreateObservableGauge("fusionbot.outbox.depth", () => ObserveDepth(), "{item}",
            "Outbox items due now (counted up to the sampling limit).");
        Meter.CreateObservableGauge("fusionbot.outbox.oldest_due_age", () => ObserveOldestAge(), "s",
            "How long the oldest due outbox item has been waiting.");
    }

    /// <summary>The latest outbox sample, for the gauges (read by the exporter on its own schedule).</summary>
    public static void ReportBacklog(DueWorkBacklog backlog, DateTimeOffset sampledAt) =>
        Volatile.Write(ref _backlog, new BacklogSample(backlog, sampledAt));

    /// <summary>Tags the current turn's span with the request's tier, from wherever in the turn the tier is known.</summary>
    public static void TagTier(int tier) => CurrentTurn()?.SetTag("fusionbot.tier", tier);

    /// <summary>A decision recorded on a request (approve, reject, self-certify, …), with the tier it was taken in.</summary>
    public static void Decided(int tier, string decision)
    {
        TagTier(tier);
        Decisions.Add(1, new("fusionbot.tier", tier), new("fusionbot.decision", decision));
    }

    /// <summary>
    /// A span of its own for one outbox item, not a child of whatever turn queued it (the work runs later, anywhere):
    /// its kind (a fixed word such as "review.notice") and attempt number, never its id or payload.
    /// </summary>
    public static Activity? StartOutboxItem(string kind, int attempts)
    {
        kind = KindWord(kind);
        var span = Source.StartActivity("outbox " + kind, ActivityKind.Internal, parentContext: default);
        span?.SetTag("fusionbot.outbox.kind", kind);
        span?.SetTag("fusionbot.outbox.attempt", attempts + 1);
        return span;
    }

    public static void OutboxItemEnded(Activity? span, string kind, string result)
    {
        span?.SetTag("fusionbot.outbox.result", result);
        if (result is "failed" or "error")
        {
            span?.SetStatus(ActivityStatusCode.Error);
        }

        OutboxItems.Add(1, new("fusionbot.outbox.kind", KindWord(kind)), new("fusionbot.outbox.result", result));
    }

    // Kinds are the bot's own words; a stored item of any other shape is reported as "other".
    private static string KindWord(string kind) =>
        kind.Length is > 0 and <= 40 && kind.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-') ? kind : "other";

    public static void Failed(string kind, Exception exception) =>
        Errors.Add(1, new("fusionbot.error.kind", kind), new("error.type", exception.GetType().Name));

    private static Activity? CurrentTurn()
    {
        for (var activity = Activity.Current; activity is not null; activity = activity.Parent)
        {
            if (activity.Source == Source && activity.OperationName.StartsWith(TurnSpanPrefix, StringComparison.Ordinal))
            {
                return activity;
            }
        }

        return null;
    }

    private static IEnumerable<Measurement<long>> ObserveDepth() =>
        Volatile.Read(ref _backlog) is { } sample ? [new Measurement<long>(sample.Backlog.Due)] : [];

    private static IEnumerable<Measurement<double>> ObserveOldestAge() =>
        Volatile.Read(ref _backlog) is { } sample ? [new Measurement<double>(sample.Backlog.OldestAge(sample.At).TotalSeconds)] : [];

    private sealed record BacklogSample(DueWorkBacklog Backlog, DateTimeOffset At);
}
