namespace FusionBot.Requests;

/// <summary>
/// Time to decision, one definition for every report: a review window opens at
/// <see cref="RequestActions.SentForReview"/> and closes at the first <see cref="RequestActions.Decisions"/> event
/// after it. A resubmitted request has one window per review.
/// </summary>
public static class TimeToDecision
{
    /// <param name="Tier">The tier the request was reviewed at.</param>
    public sealed record Window(string RequestId, int Tier, DateTimeOffset Start, DateTimeOffset DecidedAt)
    {
        public TimeSpan Duration => DecidedAt - Start;
    }

    /// <summary>The request's decided review windows, oldest first.</summary>
    public static IEnumerable<Window> Windows(GovernanceRequest request, IEnumerable<RequestHistoryEvent> events)
    {
        ArgumentNullException.ThrowIfNull(request);
        (DateTimeOffset Start, int Tier)? open = null;
        foreach (var e in events.OrderBy(e => e.At))
        {
            if (e.Action == RequestActions.SentForReview)
            {
                open = (e.At, e.TierAfter ?? request.Tier);
            }
            else if (open is { } window && RequestActions.Decisions.Contains(e.Action))
            {
                yield return new Window(request.Id, window.Tier, window.Start, e.At);
                open = null;
            }
        }
    }

    /// <summary>
    /// Decisions per period: <paramref name="periods"/> back-to-back periods of <paramref name="length"/> ending at
    /// <paramref name="end"/>, oldest first, each with the windows decided in it.
    /// </summary>
    public static IReadOnlyList<PeriodCount> DecisionsPerPeriod(IEnumerable<Window> windows, DateTimeOffset end, TimeSpan length, int periods) =>
        DecisionsPerPeriod(windows.Select(w => w.DecidedAt), end, length, periods);

    /// <summary>Decisions per period, from the times the windows were decided.</summary>
    public static IReadOnlyList<PeriodCount> DecisionsPerPeriod(IEnumerable<DateTimeOffset> decidedAt, DateTimeOffset end, TimeSpan length, int periods)
    {
        var decided = decidedAt.ToList();
        return [.. Enumerable.Range(0, periods).Reverse().Select(i =>
        {
            var periodEnd = end - (i * length);
            var start = periodEnd - length;
            return new PeriodCount(start, decided.Count(at => at >= start && at < periodEnd));
        })];
    }

    /// <summary>The middle value (mean of the two middle ones for an even count); null for none.</summary>
    public static TimeSpan? Median(IEnumerable<TimeSpan> durations)
    {
        var sorted = durations.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count switch
        {
            0 => null,
            var n when n % 2 == 1 => sorted[middle],
            _ => (sorted[middle - 1] + sorted[middle]) / 2,
        };
    }

    /// <summary>Nearest-rank 90th percentile: the ⌈0.9·n⌉-th smallest; null for none.</summary>
    public static TimeSpan? P90(IEnumerable<TimeSpan> durations)
    {
        var sorted = durations.Order().ToList();
        return sorted.Count == 0 ? null : sorted[(int)Math.Ceiling(0.9 * sorted.Count) - 1];
    }
}

/// <summary>How many of something happened in the period that starts at <paramref name="Start"/>.</summary>
public sealed record PeriodCount(DateTimeOffset Start, int Count);
