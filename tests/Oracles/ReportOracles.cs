// The calculation the CoE's reports made before the report index (issue 18), kept ONLY here, in the tests, as the
// oracle the index-based figures are compared with. Linked into the unit and functional test projects.
using FusionBot.Features.Digest;
using FusionBot.Features.Portfolio;
using FusionBot.Requests;
using FusionBot.Storage;

namespace FusionBot.Tests.Oracles;

/// <summary>A request with when it was first decided (approved, self-certified, scheduled or owned), read from its history.</summary>
public sealed record PortfolioEntry(GovernanceRequest Request, DateTimeOffset? DecidedAt)
{
    /// <summary>Its decided review windows (<see cref="TimeToDecision"/>), the same the digest measures.</summary>
    public IReadOnlyList<TimeToDecision.Window> ReviewWindows { get; init; } = [];
}

/// <summary>The old portfolio: every request paged, one history read per decided request, figures computed in memory.</summary>
public static class PortfolioOracle
{
    private const int PageSize = 200;

    public static async Task<IReadOnlyList<PortfolioEntry>> LoadAsync(IRequestStore requests, IRequestHistoryStore history, string tenantId)
    {
        var entries = new List<PortfolioEntry>();
        string? after = null;
        while (true)
        {
            var page = await requests.ListAsync(tenantId, PageSize, after);
            foreach (var request in page)
            {
                if (request.Status is RequestStatus.Submitted or RequestStatus.PendingRouting or RequestStatus.PendingReview && request.ReviewCycle <= 1
                    && request.PortfolioCheck is null)
                {
                    entries.Add(new PortfolioEntry(request, null));
                    continue;
                }

                var events = await history.ListAsync(request.Id);
                entries.Add(new PortfolioEntry(request, events.FirstOrDefault(e => RequestActions.Decisions.Contains(e.Action) || e.Action == RequestActions.SelfCertified)?.At)
                {
                    ReviewWindows = [.. TimeToDecision.Windows(request, events)],
                });
            }

            if (page.Count < PageSize)
            {
                return entries;
            }

            after = page[^1].Id;
        }
    }

    public static PortfolioFigures Calculate(IReadOnlyCollection<PortfolioEntry> entries, DateTimeOffset now, TimeSpan grace, int? tier = null)
    {
        if (tier is { } only)
        {
            entries = [.. entries.Where(e => e.Request.Tier == only)];
        }

        var requests = entries.Select(e => e.Request).ToList();
        var inUse = requests.Where(r => PortfolioReviews.InUse(r.Status)).ToList();
        var estimates = inUse.Select(r => r.Answers.HoursSavedPerWeek).OfType<double>().ToList();
        var overdue = requests.Where(r => PortfolioReviews.IsOverdue(r, now, grace)).OrderBy(r => r.PortfolioCheck!.AskedAt).ToList();
        var outgrown = requests.Where(r => r.PortfolioCheck?.OutgrewTier is not null).OrderBy(r => r.Id, StringComparer.Ordinal).ToList();

        return new PortfolioFigures
        {
            Total = requests.Count,
            ByTier = requests.GroupBy(r => r.Tier).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count()),
            ByStatus = requests.GroupBy(r => r.Status).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count()),
            OverdueCount = overdue.Count,
            Overdue = [.. overdue.Take(PortfolioFigures.Listed).Select(r => Item(r) with { Maker = r.Maker.Name ?? r.Maker.Id, AskedAt = r.PortfolioCheck!.AskedAt })],
            OutgrownCount = outgrown.Count,
            Outgrown = [.. outgrown.Take(PortfolioFigures.Listed).Select(r => Item(r) with { OutgrewTier = r.PortfolioCheck!.OutgrewTier })],
            HoursSavedPerMonth = estimates.Sum() * PortfolioFigures.WeeksPerMonth,
            SolutionsWithEstimate = estimates.Count,
            MedianTimeToDecision = TimeToDecision.Median(entries.SelectMany(e => e.ReviewWindows).Select(w => w.Duration)),
            DecisionsPerWeek = TimeToDecision.DecisionsPerPeriod(entries.SelectMany(e => e.ReviewWindows), now, TimeSpan.FromDays(7), PortfolioFigures.TrendWeeks),
            Requests = tier is null ? null : [.. requests.Take(PortfolioFigures.Listed).Select(Item)],
        };
    }

    private static PortfolioItem Item(GovernanceRequest r) => new(r.Id, r.Tier, r.Title, r.Status);
}

/// <summary>The old digest: every request paged to find the ones touched since the chart's first week, then their history one by one.</summary>
public static partial class DigestOracle
{
    public static async Task<DigestFigures> ComputeAsync(IRequestStore requests, IRequestHistoryStore history, string tenantId,
        DateTimeOffset from, DateTimeOffset to, Func<string, string>? connectorName = null)
    {
        var since = to - (TrendPeriods * (to - from));
        var touched = new List<GovernanceRequest>();
        string? after = null;
        while (true)
        {
            var page = await requests.ListAsync(tenantId, 200, after);
            touched.AddRange(page.Where(r => r.CreatedAt >= since || r.UpdatedAt >= since || r.SlaBreachedAt >= since));
            if (page.Count < 200)
            {
                break;
            }

            after = page[^1].Id;
        }

        var events = new Dictionary<string, IReadOnlyList<RequestHistoryEvent>>();
        foreach (var request in touched)
        {
            events[request.Id] = await history.ListAsync(request.Id);
        }

        return Compute(touched, events, from, to, connectorName);
    }
}

public static partial class DigestOracle
{
    private const int TopCount = 5;

    private const int TrendPeriods = DigestCalculator.TrendPeriods;

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
    private static TierDecisionTimes Times(int tier, IReadOnlyList<TimeSpan> durations)
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
