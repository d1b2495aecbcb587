using FusionBot.Requests;

namespace FusionBot.Features.Digest;

/// <summary>
/// Computes a week's figures from requests and their history, nothing else: no clock, no store, so the numbers can
/// be checked by hand. The window is [from, to). A review window (<see cref="TimeToDecision"/>) counts in the week it
/// closed.
/// </summary>
public static class DigestCalculator
{
    private const int TopCount = 5;

    /// <summary>How many windows the decisions chart shows, this one last; the composer reads that far back.</summary>
    public const int TrendPeriods = 6;

    /// <param name="connectorName">Display name of a connector id (e.g. from the catalogue); the id itself when null.</param>
    public static DigestFigures Compute(
        IReadOnlyList<GovernanceRequest> requests,
        IReadOnlyDictionary<string, IReadOnlyList<RequestHistoryEvent>> history,
        DateTimeOffset from,
        DateTimeOffset to,
        Func<string, string>? connectorName = null)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(history);
        bool InWindow(DateTimeOffset at) => at >= from && at < to;

        var newRequests = requests.Where(r => InWindow(r.CreatedAt)).ToList();
        var events = requests.ToDictionary(r => r.Id, r => history.TryGetValue(r.Id, out var list) ? list.OrderBy(e => e.At).ToList() : []);
        var weekEvents = events.Values.SelectMany(e => e).Where(e => InWindow(e.At)).ToList();

        var cycles = requests.SelectMany(r => DecidedCycles(r, events[r.Id])).Where(c => InWindow(c.DecidedAt)).ToList();
        var late = cycles.Where(c => c.Late).Select(c => c.RequestId);
        var breachedInWeek = requests.Where(r => r.SlaBreachedAt is { } at && InWindow(at)).Select(r => r.Id);

        return new DigestFigures
        {
            From = from,
            To = to,
            NewByTier = Enumerable.Range(1, 4).ToDictionary(tier => tier, tier => newRequests.Count(r => SubmittedTier(r, events[r.Id]) == tier)),
            Approved = weekEvents.Count(e => e.Action == RequestActions.Approved),
            ChangesRequested = weekEvents.Count(e => e.Action == RequestActions.ChangesRequested),
            Rejected = weekEvents.Count(e => e.Action == RequestActions.Rejected),
            SolutionsDelivered = weekEvents.Where(e => RequestActions.SolutionsDelivered.Contains(e.Action)).Select(e => e.RequestId).Distinct().Count(),
            DecisionTimes = [.. cycles.GroupBy(c => c.Tier).OrderBy(g => g.Key).Select(g => Times(g.Key, [.. g.Select(c => c.Duration)]))],
            Decided = cycles.Count,
            DecisionsPerWeek = TimeToDecision.DecisionsPerPeriod(requests.SelectMany(r => TimeToDecision.Windows(r, events[r.Id])), to, to - from, TrendPeriods),
            DecidedOnTime = cycles.Count(c => !c.Late),
            SlaBreaches = [.. late.Concat(breachedInWeek).Distinct().Order(StringComparer.Ordinal)],
            Reclassifications = [.. weekEvents
                .Where(e => e.Action == RequestActions.Reclassified && e.TierBefore is not null && e.TierAfter is not null)
                .OrderBy(e => e.At)
                .Select(e => new Reclassification(e.RequestId, e.TierBefore!.Value, e.TierAfter!.Value))],
            TopConnectors = Top(newRequests.SelectMany(r => (r.Answers.DataSources ?? []).Where(s => s != DataSourceKinds.None).Distinct())
                .Select(source => SourceName(source, connectorName))),
            Platforms = Top(newRequests.Where(r => r.Answers.Platform is not null).Select(r => PlatformName(r.Answers.Platform!.Value)), int.MaxValue),
            Keywords = ThemeKeywords.Count(newRequests.Select(r => r.Answers.Purpose)),
        };
    }

    /// <summary>Median and nearest-rank 90th percentile of the durations.</summary>
    public static TierDecisionTimes Times(int tier, IReadOnlyList<TimeSpan> durations)
    {
        ArgumentOutOfRangeException.ThrowIfZero(durations.Count);
        return new TierDecisionTimes(tier, durations.Count, TimeToDecision.Median(durations)!.Value, TimeToDecision.P90(durations)!.Value);
    }

    private static int SubmittedTier(GovernanceRequest request, List<RequestHistoryEvent> events) =>
        events.FirstOrDefault(e => e.Action == RequestActions.Submitted)?.TierAfter ?? request.Tier;

    private static IEnumerable<Cycle> DecidedCycles(GovernanceRequest request, List<RequestHistoryEvent> events) =>
        TimeToDecision.Windows(request, events).Select(w => new Cycle(w.RequestId, w.Tier, w.DecidedAt, w.Duration, IsLate(request, w.Start, w.DecidedAt)));

    /// <summary>
    /// The request keeps the due time and breach of its latest review window only, so an earlier window of a
    /// resubmitted request counts as on time unless its breach is the one recorded.
    /// </summary>
    private static bool IsLate(GovernanceRequest request, DateTimeOffset start, DateTimeOffset decidedAt) =>
        (request.SlaBreachedAt is { } breached && breached >= start && breached <= decidedAt)
        || (request.DueAt is { } due && due >= start && decidedAt > due);

    private static List<NamedCount> Top(IEnumerable<string> names, int count = TopCount) =>
    [
        .. names.GroupBy(n => n, StringComparer.Ordinal)
            .Select(g => new NamedCount(g.Key, g.Count()))
            .OrderByDescending(n => n.Count).ThenBy(n => n.Name, StringComparer.Ordinal)
            .Take(count),
    ];

    private static string SourceName(string source, Func<string, string>? connectorName) => source switch
    {
        DataSourceKinds.ExternalApi => "External API",
        DataSourceKinds.EnterpriseSystem => "Enterprise system",
        _ => connectorName?.Invoke(source) ?? source,
    };

    private static string PlatformName(Platform platform) => platform switch
    {
        Platform.PowerApps => "Power Apps",
        Platform.PowerAutomate => "Power Automate",
        Platform.CopilotStudio => "Copilot Studio",
        _ => "Other",
    };

    private sealed record Cycle(string RequestId, int Tier, DateTimeOffset DecidedAt, TimeSpan Duration, bool Late);
}
