using FusionBot.Requests;

namespace FusionBot.Features.Digest;

/// <summary>
/// Computes a week's figures from the report index's rows for the window (<see cref="DigestInputs"/>), nothing else:
/// no clock, no store, so the numbers can be checked by hand. The window is [from, to). A review window
/// (<see cref="TimeToDecision"/>) counts in the week it closed.
/// </summary>
public static class DigestCalculator
{
    private const int TopCount = 5;

    /// <summary>How many windows the decisions chart shows, this one last; the composer reads that far back.</summary>
    public const int TrendPeriods = 6;

    /// <param name="connectorName">Display name of a connector id (e.g. from the catalogue); the id itself when null.</param>
    public static DigestFigures Compute(DigestInputs inputs, DateTimeOffset from, DateTimeOffset to, Func<string, string>? connectorName = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        bool InWindow(DateTimeOffset at) => at >= from && at < to;

        var newRequests = inputs.Created.Where(r => InWindow(r.CreatedAt)).ToList();
        var weekEvents = inputs.Events.Where(e => InWindow(e.At)).OrderBy(e => e.At).ToList();
        var cycles = inputs.Decided.Where(c => InWindow(c.DecidedAt)).ToList();
        var late = cycles.Where(c => c.Late).Select(c => c.RequestId);
        var breachedInWeek = inputs.Breached.Where(b => InWindow(b.At)).Select(b => b.RequestId);

        return new DigestFigures
        {
            From = from,
            To = to,
            NewByTier = Enumerable.Range(1, 4).ToDictionary(tier => tier, tier => newRequests.Count(r => r.SubmittedTier == tier)),
            Approved = weekEvents.Count(e => e.Action == RequestActions.Approved),
            ChangesRequested = weekEvents.Count(e => e.Action == RequestActions.ChangesRequested),
            Rejected = weekEvents.Count(e => e.Action == RequestActions.Rejected),
            SolutionsDelivered = weekEvents.Where(e => RequestActions.SolutionsDelivered.Contains(e.Action)).Select(e => e.RequestId).Distinct().Count(),
            DecisionTimes = [.. cycles.GroupBy(c => c.WindowTier).OrderBy(g => g.Key).Select(g => Times(g.Key, [.. g.Select(c => c.DecidedAt - c.Start)]))],
            Decided = cycles.Count,
            DecisionsPerWeek = TimeToDecision.DecisionsPerPeriod(inputs.Decided.Select(c => c.DecidedAt), to, to - from, TrendPeriods),
            DecidedOnTime = cycles.Count(c => !c.Late),
            SlaBreaches = [.. late.Concat(breachedInWeek).Distinct().Order(StringComparer.Ordinal)],
            Reclassifications = [.. weekEvents
                .Where(e => e.Action == RequestActions.Reclassified && e.TierBefore is not null && e.TierAfter is not null)
                .Select(e => new Reclassification(e.RequestId, e.TierBefore!.Value, e.TierAfter!.Value))],
            TopConnectors = Top(newRequests.SelectMany(r => (r.DataSources ?? []).Where(s => s != DataSourceKinds.None).Distinct())
                .Select(source => SourceName(source, connectorName))),
            Platforms = Top(newRequests.Where(r => r.Platform is not null).Select(r => PlatformName(r.Platform!.Value)), int.MaxValue),
            Keywords = ThemeKeywords.Count(newRequests.Select(r => r.Purpose)),
        };
    }

    /// <summary>Median and nearest-rank 90th percentile of the durations.</summary>
    public static TierDecisionTimes Times(int tier, IReadOnlyList<TimeSpan> durations)
    {
        ArgumentOutOfRangeException.ThrowIfZero(durations.Count);
        return new TierDecisionTimes(tier, durations.Count, TimeToDecision.Median(durations)!.Value, TimeToDecision.P90(durations)!.Value);
    }

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

}

/// <summary>
/// What a week's digest reads (<see cref="RequestIndex"/> rows): requests created in the window, the transitions'
/// history events in it, review windows decided in the chart's periods, and SLA breaches in it.
/// </summary>
public sealed record DigestInputs(
    IReadOnlyList<RequestIndex.CreatedRow> Created,
    IReadOnlyList<RequestIndex.EventRow> Events,
    IReadOnlyList<RequestIndex.DecidedRow> Decided,
    IReadOnlyList<RequestIndex.BreachedRow> Breached);
