using FusionBot.Requests;

namespace FusionBot.Features.Portfolio;

/// <summary>A request with when it was first decided (approved, self-certified, scheduled or owned), read from its history.</summary>
public sealed record PortfolioEntry(GovernanceRequest Request, DateTimeOffset? DecidedAt)
{
    /// <summary>Its decided review windows (<see cref="TimeToDecision"/>), the same the digest measures.</summary>
    public IReadOnlyList<TimeToDecision.Window> ReviewWindows { get; init; } = [];
}

/// <summary>What the CoE's portfolio report shows, for every request or one tier.</summary>
public sealed record PortfolioFigures
{
    public required int Total { get; init; }
    public required IReadOnlyDictionary<int, int> ByTier { get; init; }
    public required IReadOnlyDictionary<RequestStatus, int> ByStatus { get; init; }

    /// <summary>Solutions in use whose periodic review went unanswered past the reminder.</summary>
    public required IReadOnlyList<GovernanceRequest> Overdue { get; init; }

    /// <summary>Solutions whose periodic review put them in a higher tier.</summary>
    public required IReadOnlyList<GovernanceRequest> Outgrown { get; init; }

    /// <summary>Sum over solutions in use of the maker's hours a week, as hours a month (× 52 / 12).</summary>
    public required double HoursSavedPerMonth { get; init; }

    /// <summary>How many solutions in use gave an estimate.</summary>
    public required int SolutionsWithEstimate { get; init; }

    /// <summary>Median over every decided review window (<see cref="TimeToDecision"/>); null when nothing was decided yet.</summary>
    public required TimeSpan? MedianTimeToDecision { get; init; }

    /// <summary>Review windows decided in each of the last weeks (7 days each, ending now), oldest first.</summary>
    public required IReadOnlyList<PeriodCount> DecisionsPerWeek { get; init; }
}

/// <summary>Computes the portfolio figures from stored requests; pure, so the report's numbers are tested exactly.</summary>
public static class PortfolioCalculator
{
    public const double WeeksPerMonth = 52.0 / 12.0;

    /// <summary>How many weeks the decisions chart shows, the current one last.</summary>
    public const int TrendWeeks = 6;

    public static PortfolioFigures Calculate(IReadOnlyCollection<PortfolioEntry> entries, DateTimeOffset now, TimeSpan grace)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var requests = entries.Select(e => e.Request).ToList();
        var inUse = requests.Where(r => PortfolioReviews.InUse(r.Status)).ToList();
        var estimates = inUse.Select(r => r.Answers.HoursSavedPerWeek).OfType<double>().ToList();

        return new PortfolioFigures
        {
            Total = requests.Count,
            ByTier = requests.GroupBy(r => r.Tier).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count()),
            ByStatus = requests.GroupBy(r => r.Status).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count()),
            Overdue = [.. requests.Where(r => PortfolioReviews.IsOverdue(r, now, grace)).OrderBy(r => r.PortfolioCheck!.AskedAt)],
            Outgrown = [.. requests.Where(r => r.PortfolioCheck?.OutgrewTier is not null).OrderBy(r => r.Id, StringComparer.Ordinal)],
            HoursSavedPerMonth = estimates.Sum() * WeeksPerMonth,
            SolutionsWithEstimate = estimates.Count,
            MedianTimeToDecision = TimeToDecision.Median(entries.SelectMany(e => e.ReviewWindows).Select(w => w.Duration)),
            DecisionsPerWeek = TimeToDecision.DecisionsPerPeriod(entries.SelectMany(e => e.ReviewWindows), now, TimeSpan.FromDays(7), TrendWeeks),
        };
    }
}
