using FusionBot.Requests;

namespace FusionBot.Features.Portfolio;

/// <summary>A request as the portfolio card lists it; the maker and dates only where the list shows them.</summary>
public sealed record PortfolioItem(string Id, int Tier, string Title, RequestStatus Status)
{
    public string? Maker { get; init; }
    public DateTimeOffset? AskedAt { get; init; }
    public int? OutgrewTier { get; init; }
}

/// <summary>What the CoE's portfolio report shows, for every request or one tier.</summary>
public sealed record PortfolioFigures
{
    /// <summary>How many requests a list on the card names; the rest are counted.</summary>
    public const int Listed = 15;

    public required int Total { get; init; }
    public required IReadOnlyDictionary<int, int> ByTier { get; init; }
    public required IReadOnlyDictionary<RequestStatus, int> ByStatus { get; init; }

    /// <summary>Solutions in use whose periodic review went unanswered past the reminder.</summary>
    public required int OverdueCount { get; init; }

    /// <summary>The first <see cref="Listed"/> of them, longest asked first.</summary>
    public required IReadOnlyList<PortfolioItem> Overdue { get; init; }

    /// <summary>Solutions whose periodic review put them in a higher tier.</summary>
    public required int OutgrownCount { get; init; }

    /// <summary>The first <see cref="Listed"/> of them, by id.</summary>
    public required IReadOnlyList<PortfolioItem> Outgrown { get; init; }

    /// <summary>Sum over solutions in use of the maker's hours a week, as hours a month (× 52 / 12).</summary>
    public required double HoursSavedPerMonth { get; init; }

    /// <summary>How many solutions in use gave an estimate.</summary>
    public required int SolutionsWithEstimate { get; init; }

    /// <summary>Median over every decided review window (<see cref="TimeToDecision"/>); null when nothing was decided yet.</summary>
    public required TimeSpan? MedianTimeToDecision { get; init; }

    /// <summary>Review windows decided in each of the last weeks (7 days each, ending now), oldest first.</summary>
    public required IReadOnlyList<PeriodCount> DecisionsPerWeek { get; init; }

    /// <summary>For one tier: its first <see cref="Listed"/> requests by id (the rest are <see cref="Total"/>); otherwise none.</summary>
    public IReadOnlyList<PortfolioItem>? Requests { get; init; }

    public const double WeeksPerMonth = 52.0 / 12.0;

    /// <summary>How many weeks the decisions chart shows, the current one last.</summary>
    public const int TrendWeeks = 6;
}
