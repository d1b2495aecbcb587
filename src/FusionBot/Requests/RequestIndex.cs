using System.Globalization;
using FusionBot.Storage;
using FusionBot.Storage.Rows;

namespace FusionBot.Requests;

/// <summary>The index rows and totals written with a request row, so the next write knows what to remove and subtract.</summary>
public sealed record RequestIndexEntry(IReadOnlyList<string> Keys, IReadOnlyDictionary<string, double> Totals);

/// <summary>
/// The rows the CoE's reports read instead of every request, derived from the request alone:
/// <list type="bullet">
/// <item>totals (count by tier and status, hours saved, outgrown, review-window durations by hour, open periodic reviews
/// by day), added up as insert-only delta rows in the tenant's partition of the requests table, written in the same
/// transaction as the request row (<see cref="RequestStore"/>), and folded into one totals row by readers;</item>
/// <item>rows keyed for each question, each kind in its own table (<see cref="TableOf"/>) so a report's range read
/// costs its own kind of row: a tier's requests by id, open periodic reviews by when they were asked, outgrown
/// solutions by id, review windows by duration and by decision time, requests by creation time, SLA breaches by time,
/// the transitions' history events by time (for the digest's week), and final requests by the time of their last
/// transition (for the request retention). Written after the request row
/// (<see cref="RequestIndexWriter"/>), which carries a journal row until they are.</item>
/// </list>
/// The rows read by time or duration are kept as entries of bucket rows (<see cref="BucketOf"/>: a day of decisions,
/// creations, events or breaches; a minute of review-window durations), so a report reads a row per day of its window,
/// however busy the days were.
/// Row keys start with <see cref="Prefix"/>, which sorts after every request id (FR-…).
/// </summary>
public static class RequestIndex
{
    public const string Prefix = "idx|";
    public const string TotalsKey = Prefix + "totals";
    public const string DeltaPrefix = Prefix + "delta|";

    /// <summary>
    /// Journal rows (<see cref="IndexJournal"/>) of request writes whose index rows may not all be written yet. Sorts
    /// right after the deltas, so one range read (<see cref="PendingRange"/>) returns both.
    /// </summary>
    public const string DirtyPrefix = Prefix + "dirty|";

    /// <summary>The tenant's index is in its tables (<see cref="TableOf"/>); earlier versions kept it in the requests table.</summary>
    public const string BackfilledKey = Prefix + "backfilled|tables";

    /// <summary>Rewritten with every request write: its ETag is the version of the tenant's requests (exports are reused until it changes).</summary>
    public const string VersionKey = Prefix + "version";

    public static string TierPrefix(int tier) => $"{Prefix}tier|{Digit(tier)}|";

    /// <summary>Open periodic reviews by when they were asked: of one tier, or of every tier when null.</summary>
    public static string ReviewPrefix(int? tier) => $"{Prefix}review|{AnyTier(tier)}|";

    /// <summary>Outgrown solutions by id: of one tier, or of every tier when null.</summary>
    public static string OutgrownPrefix(int? tier) => $"{Prefix}outgrown|{AnyTier(tier)}|";

    public const string DurationPrefix = Prefix + "duration|";
    public const string DecidedPrefix = Prefix + "decided|";
    public const string CreatedPrefix = Prefix + "created|";
    public const string BreachedPrefix = Prefix + "breached|";
    public const string EventPrefix = Prefix + "event|";

    /// <summary>Requests in a final state by the time of their last transition: what <see cref="RequestRetention"/> purges from.</summary>
    public const string FinalPrefix = Prefix + "final|";

    /// <summary>The delta rows and journal rows of a tenant's partition of the requests table.</summary>
    public static RowKeyRange PendingRange => new(DeltaPrefix, RowKeyRange.Prefix(DirtyPrefix).To);

    /// <summary>The kinds of index row kept per request, each a key prefix, with the table that holds it.</summary>
    public static IReadOnlyList<(string Prefix, string Table)> Kinds { get; } =
    [
        (Prefix + "tier|", StorageTables.ReportTiers),
        (Prefix + "review|", StorageTables.ReportLists),
        (Prefix + "outgrown|", StorageTables.ReportLists),
        (BreachedPrefix, StorageTables.ReportLists),
        (FinalPrefix, StorageTables.ReportLists),
        (DurationPrefix, StorageTables.ReportDurations),
        (DecidedPrefix, StorageTables.ReportDecided),
        (CreatedPrefix, StorageTables.ReportCreated),
        (EventPrefix, StorageTables.ReportEvents),
    ];

    /// <summary>The table that holds an index row.</summary>
    public static string TableOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (var (prefix, table) in Kinds)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                return table;
            }
        }

        throw new ArgumentException($"{key} is not a per-request index row.", nameof(key));
    }

    /// <summary>
    /// The bucket row that holds a row of a kind kept in buckets (the time or duration in its key after the prefix,
    /// rounded down to the day or minute), or null for a kind kept a row per key. The bucket row's key is the prefix and
    /// that rounded time, so it sorts before every key it holds and after every key of earlier buckets.
    /// </summary>
    public static string? BucketOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (var (prefix, unit) in Buckets)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                return key.Length >= prefix.Length + 19 && long.TryParse(key.AsSpan(prefix.Length, 19), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                    ? prefix + Ticks(ticks / unit * unit)
                    : prefix;
            }
        }

        return null;
    }

    private static readonly (string Prefix, long Unit)[] Buckets =
    [
        (DecidedPrefix, TimeSpan.TicksPerDay),
        (CreatedPrefix, TimeSpan.TicksPerDay),
        (EventPrefix, TimeSpan.TicksPerDay),
        (BreachedPrefix, TimeSpan.TicksPerDay),
        (DurationPrefix, TimeSpan.TicksPerMinute),
    ];

    /// <summary>The entries of a bucket row (each row's key and data).</summary>
    public static Dictionary<string, string> Entries(string bucketData) =>
        StorageJson.Deserialize<Dictionary<string, string>>(bucketData);

    /// <summary>A bucket row's data: its entries, by key.</summary>
    public static string BucketData(IReadOnlyDictionary<string, string> entries) =>
        StorageJson.Serialize(new SortedDictionary<string, string>(entries.ToDictionary(), StringComparer.Ordinal));

    /// <summary>A time as it sorts in a row key (ticks, 19 digits; never negative).</summary>
    public static string Ticks(DateTimeOffset at) => Ticks(at.UtcTicks);

    public static string Ticks(long ticks) => Math.Max(0, ticks).ToString("D19", CultureInfo.InvariantCulture);

    public static string CountKey(int tier, RequestStatus status) => $"n|{Digit(tier)}|{status}";

    public static string HoursKey(int tier) => $"h|{Digit(tier)}";

    public static string EstimatesKey(int tier) => $"hc|{Digit(tier)}";

    public static string OutgrownKey(int tier) => $"g|{Digit(tier)}";

    /// <summary>Review windows of requests now in <paramref name="tier"/> that took <paramref name="hours"/> whole hours.</summary>
    public static string DurationKey(int tier, long hours) => $"t|{Digit(tier)}|{hours.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Open periodic reviews of solutions in <paramref name="tier"/> asked on <paramref name="day"/> (UTC).</summary>
    public static string OpenReviewKey(int tier, DateOnly day) => $"r|{Digit(tier)}|{day.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}";

    /// <summary>The whole hours of a review window, as its duration totals and rows are bucketed.</summary>
    public static long HoursOf(TimeSpan duration) => Math.Max(0, duration.Ticks) / TimeSpan.TicksPerHour;

    /// <summary>The rows derived from the request (keys and JSON) and its share of the tenant's totals.</summary>
    public static (IReadOnlyList<(string Key, string Data)> Rows, Dictionary<string, double> Totals) Derive(GovernanceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var tier = request.Tier;
        var rows = new List<(string, string)>
        {
            (TierPrefix(tier) + request.Id, StorageJson.Serialize(new TierRow(request.Id, request.Title, request.Status))),
            (CreatedPrefix + Ticks(request.CreatedAt) + "|" + request.Id, StorageJson.Serialize(new CreatedRow(
                request.Id, request.CreatedAt, request.Milestones?.SubmittedTier ?? tier, request.Answers.Platform, request.Answers.DataSources, request.Answers.Purpose))),
        };
        var totals = new Dictionary<string, double>(StringComparer.Ordinal) { [CountKey(tier, request.Status)] = 1 };

        if (RequestLifecycle.InUse(request.Status) && request.Answers.HoursSavedPerWeek is { } hours)
        {
            totals[HoursKey(tier)] = hours;
            totals[EstimatesKey(tier)] = 1;
        }

        if (request.PortfolioCheck is { OutgrewTier: { } outgrewTier })
        {
            totals[OutgrownKey(tier)] = 1;
            var row = StorageJson.Serialize(new OutgrownRow(request.Id, tier, request.Title, request.Status, outgrewTier));
            rows.Add((OutgrownPrefix(tier) + request.Id, row));
            rows.Add((OutgrownPrefix(null) + request.Id, row));
        }

        if (RequestLifecycle.InUse(request.Status) && request.PortfolioCheck is { AnsweredAt: null } open)
        {
            Add(totals, OpenReviewKey(tier, DateOnly.FromDateTime(open.AskedAt.UtcDateTime)), 1);
            var row = StorageJson.Serialize(new OpenReviewRow(request.Id, tier, request.Title, request.Status, request.Maker.Name ?? request.Maker.Id, open.AskedAt));
            rows.Add((ReviewPrefix(tier) + Ticks(open.AskedAt) + "|" + request.Id, row));
            rows.Add((ReviewPrefix(null) + Ticks(open.AskedAt) + "|" + request.Id, row));
        }

        if (RequestLifecycle.IsFinal(request.Status))
        {
            // Never before its creation: a row of an early version without an update time is not final since year 1.
            var since = request.UpdatedAt > request.CreatedAt ? request.UpdatedAt : request.CreatedAt;
            rows.Add((FinalPrefix + Ticks(since) + "|" + request.Id, StorageJson.Serialize(new FinalRow(request.Id, since))));
        }

        if (request.SlaBreachedAt is { } breached)
        {
            rows.Add((BreachedPrefix + Ticks(breached) + "|" + request.Id, StorageJson.Serialize(new BreachedRow(request.Id, breached))));
        }

        var windows = request.Milestones?.Windows ?? [];
        for (var i = 0; i < windows.Count; i++)
        {
            var window = windows[i];
            var suffix = "|" + request.Id + "|" + i.ToString("D3", CultureInfo.InvariantCulture);
            Add(totals, DurationKey(tier, HoursOf(window.Duration)), 1);
            rows.Add((DurationPrefix + Ticks(window.Duration.Ticks) + suffix, StorageJson.Serialize(new DurationRow(request.Id, tier, window.Duration.Ticks))));
            rows.Add((DecidedPrefix + Ticks(window.DecidedAt) + suffix, StorageJson.Serialize(
                new DecidedRow(request.Id, tier, window.Tier, window.Start, window.DecidedAt, IsLate(request, window)))));
        }

        return (rows, totals);
    }

    /// <summary>The index rows of the history events the request's pending transitions record (insert-once by their ids).</summary>
    public static IEnumerable<(string Key, string Data)> EventRows(GovernanceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Pending.SelectMany(p => p.Events).Where(Counted).Select(Event);
    }

    /// <summary>The events the digest counts (decisions, deliveries, reclassifications): the only ones indexed by time.</summary>
    public static bool Counted(RequestHistoryEvent historyEvent)
    {
        ArgumentNullException.ThrowIfNull(historyEvent);
        return historyEvent.Action is RequestActions.Approved or RequestActions.ChangesRequested or RequestActions.Rejected or RequestActions.Reclassified
            || RequestActions.SolutionsDelivered.Contains(historyEvent.Action);
    }

    /// <summary>The index row of one history event: by time, then request, then the event's id (its action when it has none).</summary>
    public static (string Key, string Data) Event(RequestHistoryEvent historyEvent)
    {
        ArgumentNullException.ThrowIfNull(historyEvent);
        return (EventPrefix + Ticks(historyEvent.At) + "|" + historyEvent.RequestId + "|" + (historyEvent.Id ?? historyEvent.Action),
            StorageJson.Serialize(new EventRow(historyEvent.RequestId, historyEvent.At, historyEvent.Action, historyEvent.TierBefore, historyEvent.TierAfter)));
    }

    /// <summary>
    /// Decided after its due time, or breached within the window. The request keeps the due time and breach of its
    /// latest review window only, so an earlier window of a resubmitted request counts as on time unless its breach is
    /// the one recorded.
    /// </summary>
    public static bool IsLate(GovernanceRequest request, ReviewWindow window)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(window);
        return (request.SlaBreachedAt is { } breached && breached >= window.Start && breached <= window.DecidedAt)
            || (request.DueAt is { } due && due >= window.Start && window.DecidedAt > due);
    }

    /// <summary><paramref name="after"/> − <paramref name="before"/>, without the totals that did not change.</summary>
    public static Dictionary<string, double> Difference(IReadOnlyDictionary<string, double>? before, IReadOnlyDictionary<string, double> after)
    {
        ArgumentNullException.ThrowIfNull(after);
        var delta = new Dictionary<string, double>(after, StringComparer.Ordinal);
        foreach (var (key, value) in before ?? new Dictionary<string, double>())
        {
            Add(delta, key, -value);
        }

        return delta;
    }

    /// <summary>Adds <paramref name="value"/> to a total, dropping it when it comes back to zero.</summary>
    public static void Add(Dictionary<string, double> totals, string key, double value)
    {
        ArgumentNullException.ThrowIfNull(totals);
        var sum = totals.GetValueOrDefault(key) + value;
        if (Math.Abs(sum) < 1e-9)
        {
            totals.Remove(key);
        }
        else
        {
            totals[key] = sum;
        }
    }

    private static string Digit(int tier) => tier.ToString(CultureInfo.InvariantCulture);

    private static string AnyTier(int? tier) => tier is { } t ? Digit(t) : "all";

    /// <summary>
    /// What a request write leaves to do in the index tables: remove the rows of <paramref name="Stale"/> the request no
    /// longer has (unless it has them again), and add the rows of the history events its transitions record.
    /// </summary>
    public sealed record IndexJournal(string RequestId, IReadOnlyList<string> Stale, IReadOnlyList<KeyedRow> Events);

    public sealed record KeyedRow(string Key, string Data);

    public sealed record TierRow(string RequestId, string Title, RequestStatus Status);

    public sealed record CreatedRow(string RequestId, DateTimeOffset CreatedAt, int SubmittedTier, Platform? Platform, IReadOnlyList<string>? DataSources, string? Purpose);

    public sealed record OutgrownRow(string RequestId, int Tier, string Title, RequestStatus Status, int OutgrewTier);

    public sealed record OpenReviewRow(string RequestId, int Tier, string Title, RequestStatus Status, string Maker, DateTimeOffset AskedAt);

    public sealed record FinalRow(string RequestId, DateTimeOffset Since);

    public sealed record BreachedRow(string RequestId, DateTimeOffset At);

    public sealed record DurationRow(string RequestId, int Tier, long Ticks);

    /// <param name="Tier">The request's tier now (the portfolio's filter).</param>
    /// <param name="WindowTier">The tier it was reviewed at (the digest's).</param>
    public sealed record DecidedRow(string RequestId, int Tier, int WindowTier, DateTimeOffset Start, DateTimeOffset DecidedAt, bool Late);

    public sealed record EventRow(string RequestId, DateTimeOffset At, string Action, int? TierBefore, int? TierAfter);
}
